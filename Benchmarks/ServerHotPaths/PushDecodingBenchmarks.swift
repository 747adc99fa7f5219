import Benchmark
import Foundation
import SyncProtocol

/// Reading a push off the wire: the WebSocket frame's bytes to the generated `ClientMessage`,
/// validated, exactly as a session does (`ClientMessage.decode`: the generated fast codec, then
/// the generated `collectIssues`; a REST push body takes the same path as `PushRequest`). Beside it
/// the validation alone, to show its share. Baseline: Foundation's `JSONSerialization` parsing
/// the same bytes into untyped objects, the least any JSON reader does.
enum PushDecodingBenchmarks {
    static func register() {
        let frame = SamplePush.frame
        guard case .push(let message) = try? ClientMessage.decode(frame), message.validate().isEmpty else {
            fatalError("the sample push does not decode as a valid push")
        }
        let group = HotPathGroup("DecodePush", baseline: "JSONSerialization") {
            blackHole(try? JSONSerialization.jsonObject(with: frame))
        }
        group.subject("ClientMessage") {
            blackHole(try? ClientMessage.decode(frame))
        }
        group.subject("ValidationOnly") {
            blackHole(message.validate())
        }
    }
}
