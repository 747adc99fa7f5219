import ArgumentParser

/// Reads settings in the order flag, then environment variable, then default. The environment
/// is passed in, so tests never touch the process environment.
struct SettingSource {
    /// The environment variables.
    var environment: [String: String]

    /// The flag's value, else the variable's (an empty variable counts as unset).
    func string(_ flag: String?, _ variable: String) -> String? {
        if let flag { return flag }
        guard let value = environment[variable], !value.isEmpty else { return nil }
        return value
    }

    /// The flag's value, else the variable's read as a whole number.
    func integer(_ flag: Int64?, _ variable: String) throws -> Int64? {
        if let flag { return flag }
        guard let text = string(nil, variable) else { return nil }
        guard let value = Int64(text.trimmingWhitespace) else {
            throw ValidationError("\(variable) must be a whole number, not '\(text)'.")
        }
        return value
    }

    /// The flag's value, else the variable's read as a yes/no switch.
    func boolean(_ flag: Bool?, _ variable: String) throws -> Bool? {
        if let flag { return flag }
        guard let text = string(nil, variable) else { return nil }
        switch text.trimmingWhitespace.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ValidationError("\(variable) must be true or false (or 1 or 0), not '\(text)'.")
        }
    }
}

extension String {
    /// The string without leading and trailing whitespace.
    var trimmingWhitespace: String {
        var view = Substring(self)
        while view.first?.isWhitespace == true { view.removeFirst() }
        while view.last?.isWhitespace == true { view.removeLast() }
        return String(view)
    }
}
