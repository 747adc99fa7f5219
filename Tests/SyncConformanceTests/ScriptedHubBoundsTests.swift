import Foundation
import Testing
@testable import SyncConformance

/// The scripted server stays bounded whatever the client under test sends or a vector asks.
@Suite struct ScriptedHubBoundsTests {
    private func hub() -> ScriptedHub {
        ScriptedHub(script: ClientScript(reactions: [:], limits: nil, records: [], steps: []), recorder: WireRecorder())
    }

    @Test func framesAreRecordedUpToTheLimitAndCountedBeyond() async {
        let hub = hub()
        for index in 0...ScriptedHub.recordLimit {
            await hub.record("push", .object([.init("n", .int(Int64(index)))]))
        }
        #expect(await hub.frames["push"]?.count == ScriptedHub.recordLimit)
        #expect(await hub.totals["push"] == ScriptedHub.recordLimit + 1)
        #expect(await hub.wait(kind: "push", count: ScriptedHub.recordLimit + 1, timeoutMs: 10))
        #expect(await !hub.wait(kind: "push", count: ScriptedHub.recordLimit + 2, timeoutMs: 10))
    }

    @Test func anOversizedBodyIsRefusedWholeNeverHandledCutShort() async throws {
        let request = ScriptedRequest(method: "PUT", uri: "/v1/uploads/u1/chunks/0", headers: [("Authorization", "Bearer t")], body: [],
                                      tooLarge: true)
        let response = try #require(await hub().answer(request))
        #expect(response.status == 413)
        #expect(String(decoding: response.body, as: UTF8.self).contains("frame_too_large"))
    }

    @Test(arguments: [0, 101, Int64.max, -1])
    func deliveriesOutsideOneToAHundredAreRefusedAndChangeNothing(_ deliveries: Int64) async {
        let hub = hub()
        let action = JSON.object([.init("change", .object([.init("collection", .string("c")), .init("record_id", .string("r")),
                                                          .init("deliver", .int(deliveries))]))])
        await #expect(throws: ScriptFailure.self) { try await hub.perform(action) }
        #expect(await hub.model.log.isEmpty)
    }

    @Test func aHundredDeliveriesAreAccepted() async throws {
        let action = JSON.object([.init("change", .object([.init("collection", .string("c")), .init("record_id", .string("r")),
                                                          .init("deliver", .int(100))]))])
        try await hub().perform(action)
    }
}
