import Benchmark
import Foundation
import SyncProtocol

/// Writing the server's two largest routine messages with the encoder it sends every frame
/// and body with (`WireCodec.encode`: the generated codec writing `JSONEncoder`'s bytes, sorted
/// keys, `/` unescaped, the first step of the WebSocket frame fitting): the `push_result` of a 10-mutation push and a page of 100
/// changes. Baseline: `JSONSerialization.data` of the equivalent untyped dictionary (the same
/// message parsed back) with the same options.
enum EncodingBenchmarks {
    static func register() {
        register("EncodePushResult", SampleReplies.pushResult)
        register("EncodeChanges", SampleReplies.changesPage)
    }

    private static func register(_ name: String, _ message: ServerMessage) {
        let options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        guard let dictionary = try? JSONSerialization.jsonObject(with: WireCodec.encode(message)),
              (try? JSONSerialization.data(withJSONObject: dictionary, options: options)) != nil else {
            fatalError("\(name): the sample message has no JSONSerialization equivalent")
        }
        let group = HotPathGroup(name, baseline: "JSONSerialization") {
            blackHole(try? JSONSerialization.data(withJSONObject: dictionary, options: options))
        }
        group.subject("WireCodec") {
            blackHole(WireCodec.encode(message))
        }
    }
}
