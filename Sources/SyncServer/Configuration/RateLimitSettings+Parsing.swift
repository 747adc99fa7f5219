public import SyncProtocol

extension RateLimitSettings {
    /// Highest `per_minute` and `burst` a rule may have.
    public static let ruleCeiling: Int64 = 100_000_000
    /// Highest session limit accepted.
    public static let sessionCeiling: Int64 = 1_000_000

    /// Applies one rule written `SCOPE.CLASS=PER_MINUTE/BURST` (`device.push=600/100`) or
    /// `SCOPE.CLASS=off`, scope `device` or `tenant`, class one of `RateClass`.
    public mutating func apply(_ text: String) throws(ConfigurationError) {
        let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        let target = parts.first?.split(separator: ".", maxSplits: 1).map(String.init) ?? []
        guard parts.count == 2, target.count == 2, let scope = RateScope(rawValue: target[0]),
              let rateClass = RateClass(rawValue: target[1]) else {
            throw ConfigurationError(.invalidValue, """
                a rate limit is SCOPE.CLASS=PER_MINUTE/BURST or SCOPE.CLASS=off, with SCOPE device or tenant and \
                CLASS \(RateClass.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'
                """)
        }
        var rule: RateRule?
        if parts[1] != "off" {
            let numbers = parts[1].split(separator: "/", maxSplits: 1).map { Int64($0.trimmingCharacters(in: .whitespaces)) }
            guard numbers.count == 2, let perMinute = numbers[0], let burst = numbers[1],
                  (1...Self.ruleCeiling).contains(perMinute), (1...Self.ruleCeiling).contains(burst) else {
                throw ConfigurationError(.invalidValue, """
                    the rate limit '\(text)' needs requests a minute and a burst, each 1 to \(Self.ruleCeiling), \
                    as in \(scope.rawValue).\(rateClass.rawValue)=600/100
                    """)
            }
            rule = RateRule(perMinute: perMinute, burst: burst)
        }
        switch scope {
        case .device: device[rateClass] = rule
        case .tenant: tenant[rateClass] = rule
        }
    }

    /// Sets a session limit from its configured value, 1 to `sessionCeiling`, or 0 for none.
    public static func sessionLimit(_ value: Int64, name: String) throws(ConfigurationError) -> Int? {
        guard value != 0 else { return nil }
        guard (1...sessionCeiling).contains(value) else {
            throw ConfigurationError(.invalidValue, "the \(name) must be 1 to \(sessionCeiling), or 0 for no limit, not \(value)")
        }
        return Int(value)
    }

    /// The rules as `sync-server serve` reads them, for the startup log.
    public var summary: String {
        var rules: [String] = []
        for scope in [RateScope.device, .tenant] {
            for rateClass in RateClass.allCases {
                if let rule = rule(rateClass, scope) { rules.append("\(scope.rawValue).\(rateClass.rawValue)=\(rule.perMinute)/\(rule.burst)") }
            }
        }
        let sessions = "sessions per device \(maxSessionsPerDevice.map(String.init) ?? "unlimited"), per tenant \(maxSessionsPerTenant.map(String.init) ?? "unlimited")"
        return (rules.isEmpty ? "none" : rules.joined(separator: " ")) + "; " + sessions
    }
}
