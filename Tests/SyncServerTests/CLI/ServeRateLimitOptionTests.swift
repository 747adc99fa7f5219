import SyncProtocol
import SyncServer
import Testing
@testable import sync_server

/// `--rate-limit`, `--no-rate-limits` and the session limits (and their variables): defaults,
/// flags beating variables, each bound, one past it and far beyond.
@Suite struct ServeRateLimitOptionTests {
    @Test func defaultsFlagsAndVariables() throws {
        #expect(try serveConfiguration([], environment: secretEnvironment).rateLimits == .defaults)
        let flags = try serveConfiguration(["--rate-limit", "device.push=60/2", "--rate-limit", "tenant.pull=off",
                                            "--max-sessions-per-device", "1", "--max-sessions-per-tenant", "0"],
                                           environment: secretEnvironment).rateLimits
        #expect(flags.device[.push] == RateRule(perMinute: 60, burst: 2))
        #expect(flags.tenant[.pull] == nil)
        #expect(flags.maxSessionsPerDevice == 1 && flags.maxSessionsPerTenant == nil)
        let variables = try serveConfiguration([], environment: secretEnvironment.merging(
            ["SYNC_RATE_LIMITS": "device.uploads=5/5, tenant.operator=7/7", "SYNC_MAX_SESSIONS_PER_DEVICE": "1000000"]) { $1 }).rateLimits
        #expect(variables.device[.uploads] == RateRule(perMinute: 5, burst: 5) && variables.tenant[.operator] == RateRule(perMinute: 7, burst: 7))
        #expect(variables.maxSessionsPerDevice == 1_000_000)
        let flagWins = try serveConfiguration(["--rate-limit", "device.push=1/1"], environment: secretEnvironment.merging(
            ["SYNC_RATE_LIMITS": "device.push=9/9"]) { $1 }).rateLimits
        #expect(flagWins.device[.push] == RateRule(perMinute: 1, burst: 1))
        #expect(try serveConfiguration(["--no-rate-limits"], environment: secretEnvironment).rateLimits == .unlimited)
        #expect(try serveConfiguration([], environment: secretEnvironment.merging(["SYNC_NO_RATE_LIMITS": "1"]) { $1 }).rateLimits == .unlimited)
    }

    @Test(arguments: [
        (["--rate-limit", "device.push=0/1"], "rate limit"), (["--rate-limit", "device.push=100000001/1"], "rate limit"),
        (["--rate-limit", "device.push=1/99999999999999999999"], "rate limit"), (["--rate-limit", "phone.push=1/1"], "rate limit"),
        (["--max-sessions-per-device", "1000001"], "sessions per device"), (["--max-sessions-per-device=-1"], "sessions per device"),
        (["--max-sessions-per-tenant", "9223372036854775807"], "sessions per tenant"),
    ])
    func outOfRangeIsAUsageError(_ case: (arguments: [String], message: String)) {
        let refusal = serveRefusal(`case`.arguments, environment: secretEnvironment)
        #expect(refusal?.exitCode == 64, "\(`case`.arguments)")
        #expect(refusal?.message.contains(`case`.message) == true, "\(refusal?.message ?? "accepted")")
    }

    @Test func aMalformedVariableIsAUsageError() {
        let refusal = serveRefusal([], environment: secretEnvironment.merging(["SYNC_RATE_LIMITS": "device.push=fast"]) { $1 })
        #expect(refusal?.exitCode == 64)
        #expect(refusal?.message.contains("device.push=fast") == true)
    }
}
