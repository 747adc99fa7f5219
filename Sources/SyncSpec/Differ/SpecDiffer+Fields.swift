/// A list of fields being compared: where it sits and who sends it.
struct FieldList {
    /// Dotted path of the list, such as `messages.push.fields` or `endpoints.pushBatch.headers`.
    var path: String
    /// Who sends the values: decides whether a stricter field breaks old clients.
    var flow: Flow
    /// Whether names match without regard to case (HTTP headers).
    var ignoresCase = false
}

/// Fields and their constraints.
extension ChangeCollector {
    mutating func compareFields(_ before: [Field], _ after: [Field], _ list: FieldList, at location: SourceLocation?) {
        let key: (Field) -> String = { list.ignoresCase ? $0.name.lowercased() : $0.name }
        let matched = Matched(before, after, key: key)
        for field in matched.removed {
            let reason = list.flow.contains(.fromServer)
                ? "old clients that read it no longer get it"
                : "old clients still send it and nothing reads it"
            reportRemoved("\(list.path).\(field.name)", "field '\(field.name)'", because: reason)
        }
        for field in matched.added {
            if field.required && list.flow.contains(.fromClient) {
                reportAdded("\(list.path).\(field.name)", "required field '\(field.name)'", field.info, .breaking,
                            because: "old clients do not send it")
            } else {
                reportAdded("\(list.path).\(field.name)", "\(field.required ? "required" : "optional") field '\(field.name)'", field.info)
            }
        }
        for (was, now) in matched.kept {
            compareField(was, now, "\(list.path).\(now.name)", flow: list.flow)
        }
        compareOrder(before.map(key), after.map(key), list.path, "fields", at: location)
    }

    private mutating func compareField(_ was: Field, _ now: Field, _ path: String, flow: Flow) {
        let what = "field '\(now.name)'"
        let at = now.info.location
        compare(was.type, now.type, .breaking, "\(path).type", "type of \(what)", at: at,
                because: "old peers encode and decode the old type")
        if !was.required && now.required {
            let breaks = flow.contains(.fromClient)
            report(breaks ? .breaking : .compatible, "\(path).required",
                   "\(what) is now required" + (breaks ? ": old clients may leave it out" : ""), at: at)
        } else if was.required && !now.required {
            let breaks = flow.contains(.fromServer)
            report(breaks ? .breaking : .compatible, "\(path).required",
                   "\(what) is now optional" + (breaks ? ": old clients reject data without it" : ""), at: at)
        }
        compareConstraints(was.constraints, now.constraints, path, what, flow: flow, at: at)
        if was.example != now.example {
            report(.cosmetic, "\(path).example", "example of \(what) changed", at: at)
        }
        compareInfo(was.info, now.info, path, what)
    }

    /// Bounds, pattern and format. A stricter check breaks old clients only where they send the value.
    private mutating func compareConstraints(_ was: Constraints, _ now: Constraints, _ path: String, _ what: String,
                                             flow: Flow, at: SourceLocation?) {
        let before = Dictionary(was.bounds.map { ($0.key, $0.bound) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(now.bounds.map { ($0.key, $0.bound) }, uniquingKeysWith: { first, _ in first })
        var keys: [String] = []
        for key in (was.bounds + now.bounds).map(\.key) where !keys.contains(key) { keys.append(key) }
        for key in keys {
            let detail = "\(key) of \(what)"
            switch (before[key], after[key]) {
            case (nil, let bound?):
                judge(tighter: true, "\(path).\(key)", "\(detail) added: \(show(bound, in: new))", flow: flow, at: at)
            case (let bound?, nil):
                judge(tighter: false, "\(path).\(key)", "\(detail) removed (was \(show(bound, in: old)))", flow: flow, at: at)
            case (let oldBound?, let newBound?):
                compareBound(oldBound, newBound, isUpper: key.hasPrefix("max"), "\(path).\(key)", detail, flow: flow, at: at)
            case (nil, nil):
                break
            }
        }
        compareCheck(was.pattern, now.pattern, "\(path).pattern", "pattern of \(what)", flow: flow, at: at)
        compareCheck(was.format?.rawValue, now.format?.rawValue, "\(path).format", "format of \(what)", flow: flow, at: at)
    }

    private mutating func compareBound(_ was: Bound, _ now: Bound, isUpper: Bool, _ path: String, _ detail: String,
                                       flow: Flow, at: SourceLocation?) {
        // The same limit on both sides: a change of its value is reported under `limits`.
        guard was != now else { return }
        let change = "from \(show(was, in: old)) to \(show(now, in: new))"
        guard let before = old.resolve(was), let after = new.resolve(now) else {
            judge(tighter: true, path, "\(detail) changed \(change)", flow: flow, at: at)
            return
        }
        if before == after {
            report(.cosmetic, path, "\(detail) written differently, same value: \(change)", at: at)
        } else {
            let tighter = isUpper ? after < before : after > before
            judge(tighter: tighter, path, "\(detail) \(tighter ? "tightened" : "loosened") \(change)", flow: flow, at: at)
        }
    }

    /// A pattern or format: adding or changing one is stricter (regular expressions cannot be
    /// compared), removing one is looser.
    private mutating func compareCheck(_ was: String?, _ now: String?, _ path: String, _ detail: String,
                                       flow: Flow, at: SourceLocation?) {
        switch (was, now) {
        case (nil, let added?):
            judge(tighter: true, path, "\(detail) added: '\(added)'", flow: flow, at: at)
        case (let removed?, nil):
            judge(tighter: false, path, "\(detail) removed (was '\(removed)')", flow: flow, at: at)
        case (let before?, let after?) where before != after:
            judge(tighter: true, path, "\(detail) changed from '\(before)' to '\(after)'", flow: flow, at: at)
        default:
            break
        }
    }

    /// The generated codecs validate what they decode on both sides: a stricter check on what
    /// clients send refuses old clients' values, and a looser check on what the server sends lets
    /// through values old clients refuse. The other two cases are compatible.
    private mutating func judge(tighter: Bool, _ path: String, _ message: String, flow: Flow, at: SourceLocation?) {
        if tighter && flow.contains(.fromClient) {
            report(.breaking, path, message + ": old clients may send values it now refuses", at: at)
        } else if !tighter && flow.contains(.fromServer) {
            report(.breaking, path, message + ": old clients validate what they receive and may refuse the new values", at: at)
        } else {
            report(.compatible, path, message, at: at)
        }
    }

    /// `64`, or `max_mutations_per_push (100)` for a limit.
    private func show(_ bound: Bound, in spec: ProtocolSpec) -> String {
        switch bound {
        case .literal(let value): String(value)
        case .limit(let name): "\(name) (\(spec.resolve(bound).map(String.init) ?? "undefined"))"
        }
    }
}
