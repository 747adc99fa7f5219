import SyncProtocol
@testable import SyncServer
import Testing

/// `--rate-limit` rules and session limits as the CLI and variables give them: each bound, one
/// past it, far beyond and malformed.
@Suite struct RateLimitSettingsTests {
    @Test func aRuleReplacesOneClassAndScope() throws {
        var settings = RateLimitSettings.defaults
        try settings.apply("device.push=600/100")
        try settings.apply(" tenant.operator = 1/1 ")
        #expect(settings.device[.push] == RateRule(perMinute: 600, burst: 100))
        #expect(settings.tenant[.operator] == RateRule(perMinute: 1, burst: 1))
        #expect(settings.device[.pull] == RateLimitSettings.defaults.device[.pull])
        try settings.apply("device.pull=off")
        #expect(settings.device[.pull] == nil)
        try settings.apply("device.uploads=100000000/100000000")
        #expect(settings.summary.contains("device.uploads=100000000/100000000"))
    }

    @Test(arguments: ["", "device.push", "device.push=", "device.push=10", "device.push=10/", "device.push=0/10", "device.push=10/0",
                      "device.push=100000001/1", "device.push=1/100000001", "device.push=99999999999999999999/1", "device.push=-1/5",
                      "user.push=1/1", "device.sessions=1/1", "push=1/1", "device.push=1.5/2", "device.push=on"])
    func aMalformedRuleIsRefusedWithItsText(_ text: String) {
        var settings = RateLimitSettings.defaults
        #expect(throws: ConfigurationError.self) { try settings.apply(text) }
        #expect(settings == .defaults)
    }

    @Test func sessionLimitsTakeOneToTheCeilingOrZeroForNone() throws {
        #expect(try RateLimitSettings.sessionLimit(0, name: "x") == nil)
        #expect(try RateLimitSettings.sessionLimit(1, name: "x") == 1)
        #expect(try RateLimitSettings.sessionLimit(RateLimitSettings.sessionCeiling, name: "x") == Int(RateLimitSettings.sessionCeiling))
        for value in [-1, RateLimitSettings.sessionCeiling + 1, Int64.max, Int64.min] {
            #expect(throws: ConfigurationError.self) { try RateLimitSettings.sessionLimit(value, name: "sessions per device") }
        }
    }
}
