/// Enums and the envelopes that decode any frame by its `type`.
extension SwiftTypeContext {
    func renderEnum(_ enumeration: EnumDefinition, into w: inout SourceWriter) {
        w.doc(docText(enumeration.info))
        w.block("public enum \(enumeration.name): String, Codable, Hashable, Sendable, CaseIterable, WireJSONCodable") { w in
            for (index, value) in enumeration.values.enumerated() {
                if index > 0 { w.line() }
                w.doc(docText(value.info))
                let id = SwiftNames.identifier(value.name)
                w.line(id.trimmingCharacters(in: ["`"]) == value.name ? "case \(id)" : "case \(id) = \(SwiftNames.literal(value.name))")
            }
            w.line()
            renderFastEnum(into: &w)
        }
    }

    func renderEnvelope(name: String, direction: MessageDirection, into w: inout SourceWriter) {
        let messages = spec.messages.filter { direction == .client ? $0.direction.fromClient : $0.direction.fromServer }
        let sender = direction == .client ? "a client" : "a server"
        w.line("/// Any frame \(sender) sends. `decode(_:)` reads the frame once, picks the type by its `type`")
        w.line("/// field, and validates it; failures carry the spec's error code.")
        w.block("public enum \(name): Sendable, Hashable") { w in
            for message in messages {
                w.doc(message.summary)
                w.line("case \(SwiftNames.identifier(message.name))(\(SwiftNames.messageType(message.name)))")
            }
            w.line()
            w.line("/// The `type` values \(sender) may send, in spec order.")
            let types = messages.map { "\(SwiftNames.messageType($0.name)).messageType" }
            w.line("public static let messageTypes: [String] = [\(types.joined(separator: ", "))]")
            w.line()
            w.line("/// Decodes and validates one frame: `malformed_frame`, `unknown_message_type` or `invalid_message` on failure.")
            w.block("public static func decode(_ frame: Data) throws(WireError) -> \(name)") { w in
                w.line("try WireCodec.decode(\(name).self, from: frame)")
            }
            w.line()
            w.line("/// The frame's canonical JSON.")
            w.block("public func encoded() -> Data") { w in
                w.line("WireCodec.encode(self)")
            }
            w.line()
            w.line("/// The message inside.")
            w.block("public var message: any WireMessage") { w in
                w.block("switch self") { w in
                    for message in messages { w.line("case .\(SwiftNames.identifier(message.name))(let message): message") }
                }
            }
        }
        w.line()
        w.block("extension \(name): Codable, WireValidatable, WireJSONCodable") { w in
            w.block("private enum DiscriminatorKey: String, CodingKey") { w in w.line("case type") }
            w.line()
            w.block("public init(from decoder: any Decoder) throws") { w in
                w.line("let type = try decoder.container(keyedBy: DiscriminatorKey.self).decode(String.self, forKey: .type)")
                w.block("switch type") { w in
                    for message in messages {
                        let typeName = SwiftNames.messageType(message.name)
                        w.line("case \(typeName).messageType: self = .\(SwiftNames.identifier(message.name))(try \(typeName)(from: decoder))")
                    }
                    w.line("default: throw UnknownMessageType(type: type)")
                }
            }
            w.line()
            w.block("public func encode(to encoder: any Encoder) throws") { w in
                w.line("try message.encode(to: encoder)")
            }
            w.line()
            renderFastEnvelope(messages: messages, into: &w)
            w.line()
            w.block("public func collectIssues(at path: WirePath, into issues: inout [WireIssue])") { w in
                w.line("message.collectIssues(at: path, into: &issues)")
            }
        }
    }
}
