/// The protocol header, limits, errors and requirements.
extension ChangeCollector {
    mutating func compareProtocol() {
        let (was, now) = (old.websocket, new.websocket)
        compare(was.path, now.path, .breaking, "protocol.websocket.path", "WebSocket path", at: nil,
                because: "old clients connect to the old path")
        compare(was.subprotocol, now.subprotocol, .breaking, "protocol.websocket.subprotocol", "WebSocket subprotocol", at: nil,
                because: "old clients ask for the old subprotocol")
        if was.negotiation != now.negotiation {
            report(.cosmetic, "protocol.websocket.negotiation", "negotiation text changed", at: nil)
        }
        compare(old.name, new.name, .cosmetic, "protocol.name", "protocol name", at: nil, show: Self.quoted)
        compare(old.title, new.title, .cosmetic, "protocol.title", "protocol title", at: nil, show: Self.quoted)
        if old.description != new.description {
            report(.cosmetic, "protocol.description", "protocol description changed", at: nil)
        }
        if old.authentication != new.authentication {
            report(.cosmetic, "protocol.authentication", "authentication text changed", at: nil)
        }
        compare(old.baseURL, new.baseURL, .cosmetic, "protocol.rest.base_url", "example server URL", at: nil)
        compareOrder(old.limits.map(\.name), new.limits.map(\.name), "limits", "limits", at: nil)
        compareOrder(old.errors.map(\.code), new.errors.map(\.code), "errors", "errors", at: nil)
        compareOrder(old.closeCodes.map { String($0.code) }, new.closeCodes.map { String($0.code) }, "close_codes", "close codes", at: nil)
        compareOrder(old.requirements.map(\.id), new.requirements.map(\.id), "requirements", "requirements", at: nil)
        compareOrder(old.enums.map(\.name), new.enums.map(\.name), "enums", "enums", at: nil)
        compareOrder(old.schemas.map(\.name), new.schemas.map(\.name), "schemas", "schemas", at: nil)
        compareOrder(old.messages.map(\.name), new.messages.map(\.name), "messages", "messages", at: nil)
        compareOrder(old.endpoints.map(\.operationId), new.endpoints.map(\.operationId), "endpoints", "endpoints", at: nil)
        compareOrder(old.guides.map(\.name), new.guides.map(\.name), "guides", "guides", at: nil)
    }

    mutating func compareLimits() {
        let matched = Matched(old.limits, new.limits, key: \.name)
        for limit in matched.removed {
            reportRemoved("limits.\(limit.name)", "limit '\(limit.name)'", because: "old peers still apply it")
        }
        for limit in matched.added {
            reportAdded("limits.\(limit.name)", "limit '\(limit.name)'", limit.info)
        }
        for (was, now) in matched.kept {
            let path = "limits.\(now.name)"
            let what = "limit '\(now.name)'"
            let at = now.info.location
            compare(was.kind, now.kind, .breaking, "\(path).kind", "kind of \(what)", at: at,
                    because: "the value now bounds the other way")
            compare(was.unit, now.unit, .breaking, "\(path).unit", "unit of \(what)", at: at,
                    because: "old peers read the value in the old unit")
            compareValue(was, now, "\(path).value", what)
            compareInfo(was.info, now.info, path, what)
        }
    }

    /// A limit's value: tighter breaks old peers, looser does not.
    private mutating func compareValue(_ was: Limit, _ now: Limit, _ path: String, _ what: String) {
        guard was.value != now.value else { return }
        let change = "from \(was.value) to \(now.value)"
        if was.kind != now.kind {
            report(.breaking, path, "\(what) changed \(change) along with its kind", at: now.info.location)
        } else if now.kind == .max ? now.value < was.value : now.value > was.value {
            report(.breaking, path, "\(what) tightened \(change): old peers may go past it", at: now.info.location)
        } else {
            report(.compatible, path, "\(what) loosened \(change)", at: now.info.location)
        }
    }

    mutating func compareErrors() {
        let matched = Matched(old.errors, new.errors, key: \.code)
        for error in matched.removed {
            reportRemoved("errors.\(error.code)", "error code '\(error.code)'", because: "old peers still send or handle it")
        }
        for error in matched.added {
            reportAdded("errors.\(error.code)", "error code '\(error.code)'", error.info)
        }
        for (was, now) in matched.kept {
            let path = "errors.\(now.code)"
            let what = "error '\(now.code)'"
            let at = now.info.location
            compare(was.status, now.status, .breaking, "\(path).status", "HTTP status of \(what)", at: at,
                    because: "old clients match on the old status")
            compare(was.retryable, now.retryable, .breaking, "\(path).retryable", "retryable of \(what)", at: at,
                    because: "old clients retry (or give up) by the old rule")
            compare(was.closeCode, now.closeCode, .breaking, "\(path).close_code", "close code of \(what)", at: at,
                    because: "old peers expect the connection to close (or stay open) as before",
                    show: { $0.map(String.init) ?? "none (connection stays open)" })
            compare(was.title, now.title, .cosmetic, "\(path).title", "title of \(what)", at: at, show: Self.quoted)
            compareRetry(was.retry, now.retry, "\(path).retry", what, at: at)
            compareInfo(was.info, now.info, path, what)
        }
    }

    mutating func compareRequirements() {
        let matched = Matched(old.requirements, new.requirements, key: \.id)
        for requirement in matched.removed {
            reportRemoved("requirements.\(requirement.id)", "requirement \(requirement.id)",
                          because: "old peers and test vectors still cite it")
        }
        for requirement in matched.added {
            reportAdded("requirements.\(requirement.id)", "requirement \(requirement.id) (\(requirement.level.rawValue))", requirement.info)
        }
        for (was, now) in matched.kept {
            let path = "requirements.\(now.id)"
            let what = "requirement \(now.id)"
            let at = now.info.location
            if was.level != now.level {
                let raised = Self.strength(now.level) > Self.strength(was.level)
                report(raised ? .breaking : .compatible, "\(path).level",
                       "\(what) \(raised ? "raised" : "lowered") from \(was.level.rawValue) to \(now.level.rawValue)"
                           + (raised ? ": old peers may not do what it now demands" : ""),
                       at: at)
            }
            compare(was.title, now.title, .cosmetic, "\(path).title", "title of \(what)", at: at, show: Self.quoted)
            compare(was.errors, now.errors, .compatible, "\(path).errors", "errors of \(what)", at: at, show: Self.list)
            compare(was.refs, now.refs, .cosmetic, "\(path).refs", "refs of \(what)", at: at, show: Self.list)
            let newlyBound = Set(now.appliesTo).subtracting(was.appliesTo)
            if was.appliesTo != now.appliesTo {
                report(newlyBound.isEmpty ? .compatible : .breaking, "\(path).applies_to",
                       "\(what) now applies to \(now.appliesTo.map(\.rawValue).joined(separator: " and "))"
                           + (newlyBound.isEmpty ? "" : ": old \(newlyBound.map(\.rawValue).sorted().joined(separator: " and "))s may not do it"),
                       at: at)
            }
            compareInfo(was.info, now.info, path, what, descriptionKey: "text")
        }
    }

    /// MAY < SHOULD < MUST.
    private static func strength(_ level: RequirementLevel) -> Int {
        switch level {
        case .may: 0
        case .should: 1
        case .must: 2
        }
    }
}
