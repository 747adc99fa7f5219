import Foundation

/// A `${...}` that names nothing known.
public struct InterpolationError: Error, Sendable, CustomStringConvertible {
    /// The expression inside `${}`.
    public var expression: String
    /// Why it could not be resolved.
    public var reason: String
    /// One line.
    public var description: String { "cannot interpolate ${\(expression)}: \(reason)" }

    /// Creates an error.
    public init(expression: String, reason: String) {
        self.expression = expression
        self.reason = reason
    }
}

/// What `${...}` can refer to while a vector runs: captures, actors and built-ins.
public struct InterpolationScope: Sendable {
    /// Captured values by name.
    public var captures: [String: JSON]
    /// Per actor: `user`, `device`, `tenant`, `token`.
    public var actors: [String: JSON]
    /// Tenant ids by vector tenant name (`main`, `other`, `third`).
    public var tenants: [String: String]
    /// The main tenant's server time when the step started.
    public var nowMs: Int64?
    /// Resolves `blob.<name>[slice].<property>`: name, optional `[start, end)`, property.
    public var blob: @Sendable (String, Range<Int>?, String) throws -> JSON

    /// Creates a scope.
    public init(captures: [String: JSON] = [:], actors: [String: JSON] = [:], tenants: [String: String] = [:], nowMs: Int64? = nil,
                blob: @escaping @Sendable (String, Range<Int>?, String) throws -> JSON = { name, _, _ in
                    throw InterpolationError(expression: "blob.\(name)", reason: "no such blob") }) {
        self.captures = captures
        self.actors = actors
        self.tenants = tenants
        self.nowMs = nowMs
        self.blob = blob
    }
}

/// `${name}` interpolation in strings of vectors, with typed whole-string values and integer arithmetic.
public enum Interpolation {
    /// The expressions inside every `${...}` of `text`.
    public static func references(in text: String) -> [String] {
        var result: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else { break }
            result.append(String(rest[open.upperBound..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return result
    }

    /// The root name of an expression (`a` of `a.token`, `x` of `x[0].id`).
    public static func root(of expression: String) -> String {
        String(expression.prefix { $0 != "." && $0 != "[" }).trimmingCharacters(in: .whitespaces)
    }

    /// Interpolates every string inside `value`.
    public static func apply(_ value: JSON, _ scope: InterpolationScope) throws -> JSON {
        switch value {
        case .string(let text): return try apply(text, scope)
        case .array(let items): return .array(try items.map { try apply($0, scope) })
        case .object(let members):
            return .object(try members.map { JSON.Member(try applyText($0.key, scope), try apply($0.value, scope)) })
        default: return value
        }
    }

    /// Interpolates one string: exactly `${x}` keeps the value's type; `"${x} + 2000"` is evaluated as integers.
    public static func apply(_ text: String, _ scope: InterpolationScope) throws -> JSON {
        let refs = references(in: text)
        guard !refs.isEmpty else { return .string(text) }
        if refs.count == 1, text == "${\(refs[0])}" { return try resolve(refs[0], scope) }
        let rendered = try applyText(text, scope)
        if let sum = arithmetic(rendered) { return .int(sum) }
        return .string(rendered)
    }

    /// Interpolates one string into text (values rendered: strings bare, others as compact JSON).
    public static func applyText(_ text: String, _ scope: InterpolationScope) throws -> String {
        guard text.contains("${") else { return text }
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
            out += rest[..<open.lowerBound]
            let value = try resolve(String(rest[open.upperBound..<close]), scope)
            out += value.string ?? value.compact
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// `12 + 3 - 4` as an integer; `nil` unless the text is such a sum with at least one operator.
    static func arithmetic(_ text: String) -> Int64? {
        let tokens = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard tokens.count >= 3, tokens.count % 2 == 1 else { return nil }
        guard var total = Int64(tokens[0]) else { return nil }
        var index = 1
        while index < tokens.count {
            guard let operand = Int64(tokens[index + 1]) else { return nil }
            switch tokens[index] {
            case "+": total = total &+ operand
            case "-": total = total &- operand
            default: return nil
            }
            index += 2
        }
        return total
    }

    /// The value of one expression.
    public static func resolve(_ expression: String, _ scope: InterpolationScope) throws -> JSON {
        let expr = expression.trimmingCharacters(in: .whitespaces)
        let root = root(of: expr)
        var path = Substring(expr.dropFirst(root.count))
        if let captured = scope.captures[root] { return try walk(captured, path, expr) }
        if let actor = scope.actors[root] { return try walk(actor, path, expr) }
        switch root {
        case "tenant":
            if path.isEmpty, let id = scope.tenants["main"] { return .string(id) }
            if path.hasPrefix("."), let id = scope.tenants[String(path.dropFirst())] { return .string(id) }
        case "now_ms":
            if let now = scope.nowMs, path.isEmpty { return .int(now) }
        case "uuid":
            if path.isEmpty { return .string(UUID().uuidString.lowercased()) }
        case "blob":
            guard path.hasPrefix(".") else { break }
            path = path.dropFirst()
            let name = String(path.prefix { $0 != "." && $0 != "[" })
            path = path.dropFirst(name.count)
            var range: Range<Int>?
            if path.hasPrefix("["), let close = path.firstIndex(of: "]") {
                let bounds = path[path.index(after: path.startIndex)..<close].split(separator: ":", omittingEmptySubsequences: false)
                guard bounds.count == 2, let start = Int(bounds[0]), let end = Int(bounds[1]), start <= end else {
                    throw InterpolationError(expression: expr, reason: "a blob slice is [start:end]")
                }
                range = start..<end
                path = path[path.index(after: close)...]
            }
            guard path.hasPrefix(".") else { throw InterpolationError(expression: expr, reason: "expected .sha256, .size or .digest") }
            return try scope.blob(name, range, String(path.dropFirst()))
        default: break
        }
        throw InterpolationError(expression: expr, reason: "no capture, actor or built-in of that name")
    }

    private static func walk(_ value: JSON, _ path: Substring, _ expr: String) throws -> JSON {
        var current = value
        var rest = path
        while !rest.isEmpty {
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                let key = String(rest.prefix { $0 != "." && $0 != "[" })
                rest = rest.dropFirst(key.count)
                guard let next = current[key] else { throw InterpolationError(expression: expr, reason: "no key '\(key)'") }
                current = next
            } else if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                let inner = rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
                guard let index = Int(inner), case .array(let items) = current, items.indices.contains(index) else {
                    throw InterpolationError(expression: expr, reason: "no element [\(inner)]")
                }
                current = items[index]
            } else {
                throw InterpolationError(expression: expr, reason: "bad path")
            }
        }
        return current
    }
}
