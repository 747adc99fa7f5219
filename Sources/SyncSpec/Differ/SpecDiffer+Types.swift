/// Enums, schemas and WebSocket messages.
extension ChangeCollector {
    mutating func compareEnums() {
        let matched = Matched(old.enums, new.enums, key: \.name)
        for definition in matched.removed {
            reportRemoved("enums.\(definition.name)", "enum '\(definition.name)'", because: "old peers still use it")
        }
        for definition in matched.added {
            reportAdded("enums.\(definition.name)", "enum '\(definition.name)'", definition.info)
        }
        for (was, now) in matched.kept {
            let path = "enums.\(now.name)"
            let flow = oldUsage.flow(of: now.name)
            let values = Matched(was.values, now.values, key: \.name)
            for value in values.removed {
                let reason = flow.contains(.fromClient) ? "old clients may still send it and are refused" : "old clients may rely on it"
                reportRemoved("\(path).values.\(value.name)", "value '\(value.name)'", because: reason)
            }
            for value in values.added {
                if flow.contains(.fromServer) {
                    reportAdded("\(path).values.\(value.name)", "value '\(value.name)'", value.info, .breaking,
                                because: "the server sends \(now.name) and old clients cannot decode the new value")
                } else {
                    reportAdded("\(path).values.\(value.name)", "value '\(value.name)'", value.info,
                                because: "only clients send \(now.name)")
                }
            }
            for (wasValue, nowValue) in values.kept {
                compareInfo(wasValue.info, nowValue.info, "\(path).values.\(nowValue.name)", "value '\(nowValue.name)'")
            }
            compareOrder(was.values.map(\.name), now.values.map(\.name), "\(path).values", "values", at: now.info.location)
            compareInfo(was.info, now.info, path, "enum '\(now.name)'")
        }
    }

    mutating func compareSchemas() {
        let matched = Matched(old.schemas, new.schemas, key: \.name)
        for schema in matched.removed {
            reportRemoved("schemas.\(schema.name)", "schema '\(schema.name)'", because: "old peers still use it")
        }
        for schema in matched.added {
            reportAdded("schemas.\(schema.name)", "schema '\(schema.name)'", schema.info)
        }
        for (was, now) in matched.kept {
            let path = "schemas.\(now.name)"
            let list = FieldList(path: "\(path).fields", flow: oldUsage.flow(of: now.name))
            compareFields(was.fields, now.fields, list, at: now.info.location)
            if was.examples != now.examples {
                report(.cosmetic, "\(path).examples", "examples of schema '\(now.name)' changed", at: now.info.location)
            }
            compareInfo(was.info, now.info, path, "schema '\(now.name)'")
        }
    }

    mutating func compareMessages() {
        let matched = Matched(old.messages, new.messages, key: \.name)
        for message in matched.removed {
            let reason = message.direction.fromClient
                ? "old clients still send it and are answered unknown_message_type"
                : "old clients wait for it"
            reportRemoved("messages.\(message.name)", "message '\(message.name)'", because: reason)
        }
        for message in matched.added {
            reportAdded("messages.\(message.name)", "message '\(message.name)' (\(message.direction.rawValue))", message.info)
        }
        for (was, now) in matched.kept {
            let path = "messages.\(now.name)"
            let what = "message '\(now.name)'"
            let at = now.info.location
            compare(was.direction, now.direction, .breaking, "\(path).direction", "direction of \(what)", at: at,
                    because: "old peers send or expect it the old way", show: \.rawValue)
            compare(was.summary, now.summary, .cosmetic, "\(path).summary", "summary of \(what)", at: at, show: Self.quoted)
            compare(was.replies, now.replies, .compatible, "\(path).replies", "replies to \(what)", at: at, show: Self.list)
            compareFields(was.fields, now.fields, FieldList(path: "\(path).fields", flow: Flow(was.direction)), at: at)
            if was.examples != now.examples {
                report(.cosmetic, "\(path).examples", "examples of \(what) changed", at: at)
            }
            compareInfo(was.info, now.info, path, what)
        }
    }
}
