/// The fast codec of structs and envelopes (`WireJSONCodable`): a decoder over `JSONReader` that
/// takes what Foundation would decode to the same value and misses on the rest, and an encoder
/// over `JSONWriter` that writes what `JSONEncoder` writes, members in sorted order.
extension SwiftTypeContext {
    func renderFastDecoder(fields: [Field], message: MessageDefinition?, into w: inout SourceWriter) {
        w.line("/// Reads the value directly (`WireJSONCodable`); misses on whatever the fast path leaves to Foundation.")
        w.block("public init(json reader: inout JSONReader) throws(JSONReader.Miss)") { w in
            if message != nil { w.line("var seenType = false") }
            for field in fields {
                w.line("var \(local(field)): \(swiftType(field.type))? = nil")
                if !field.required { w.line("var \(seen(field)) = false") }
            }
            w.line("try reader.beginObject()")
            w.block("while let key = try reader.nextKey()") { w in
                var branch = "if"
                if message != nil {
                    w.block("if key == \"type\"") { w in
                        w.line("try JSONReader.require(!seenType)")
                        w.line("try JSONReader.require(reader.readString() == Self.messageType)")
                        w.line("seenType = true")
                    }
                    branch = "else if"
                }
                for field in fields {
                    w.block("\(branch) key == \(SwiftNames.literal(field.name))") { w in
                        let type = swiftType(field.type)
                        if field.required {
                            w.line("try JSONReader.require(\(local(field)) == nil)")
                            if case .any = field.type { w.line("try JSONReader.require(!reader.readNull())") }
                            w.line("\(local(field)) = try \(type)(json: &reader)")
                        } else {
                            w.line("try JSONReader.require(!\(seen(field)))")
                            w.line("\(seen(field)) = true")
                            w.line("\(local(field)) = try reader.readNull() ? nil : \(type)(json: &reader)")
                        }
                    }
                    branch = "else if"
                }
                if branch == "if" {
                    w.line("try reader.skipValue()")
                } else {
                    w.block("else") { w in w.line("try reader.skipValue()") }
                }
            }
            let required = fields.filter(\.required).map { "let \(local($0))" }
            let conditions = (message != nil ? ["seenType"] : []) + required
            if !conditions.isEmpty {
                w.line("guard \(conditions.joined(separator: ", ")) else { throw JSONReader.Miss() }")
            }
            let arguments = fields.map { "\(SwiftNames.identifier($0.name).trimmingCharacters(in: ["`"])): \(local($0))" }
            w.line("self.init(\(arguments.joined(separator: ", ")))")
        }
    }

    func renderFastEncoder(fields: [Field], message: MessageDefinition?, into w: inout SourceWriter) {
        w.line("/// Writes the value's JSON directly (`WireJSONCodable`), members sorted as `JSONEncoder` sorts them.")
        w.block("public func writeJSON(to writer: inout JSONWriter)") { w in
            w.line("writer.beginObject()")
            var members: [(name: String, field: Field?)] = fields.map { ($0.name, $0) }
            if message != nil { members.append(("type", nil)) }
            members.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
            for member in members {
                guard let field = member.field else {
                    w.line("writer.key(\"type\")")
                    w.line("writer.write(Self.messageType)")
                    continue
                }
                let id = SwiftNames.identifier(field.name)
                if field.required {
                    w.line("writer.key(\(SwiftNames.literal(field.name)))")
                    w.line("self.\(id).writeJSON(to: &writer)")
                } else {
                    w.block("if let value = self.\(id)") { w in
                        w.line("writer.key(\(SwiftNames.literal(field.name)))")
                        w.line("value.writeJSON(to: &writer)")
                    }
                }
            }
            w.line("writer.endObject()")
        }
    }

    /// The envelope's fast codec: the frame's `type` found first, then the message read whole.
    func renderFastEnvelope(messages: [MessageDefinition], into w: inout SourceWriter) {
        w.line("/// Reads a frame directly (`WireJSONCodable`): its `type` first, then the message it names.")
        w.block("public init(json reader: inout JSONReader) throws(JSONReader.Miss)") { w in
            w.block("switch try reader.peekMember(\"type\")") { w in
                for message in messages {
                    let typeName = SwiftNames.messageType(message.name)
                    w.line("case \(typeName).messageType: self = .\(SwiftNames.identifier(message.name))(try \(typeName)(json: &reader))")
                }
                w.line("default: throw JSONReader.Miss()")
            }
        }
        w.line()
        w.line("/// Writes the message's JSON directly (`WireJSONCodable`).")
        w.block("public func writeJSON(to writer: inout JSONWriter)") { w in
            w.block("switch self") { w in
                for message in messages {
                    w.line("case .\(SwiftNames.identifier(message.name))(let message): message.writeJSON(to: &writer)")
                }
            }
        }
    }

    /// The fast codec of a string enum: its raw value.
    func renderFastEnum(into w: inout SourceWriter) {
        w.line("/// Reads the raw value directly (`WireJSONCodable`); an unknown value is a miss.")
        w.block("public init(json reader: inout JSONReader) throws(JSONReader.Miss)") { w in
            w.line("guard let value = Self(rawValue: try reader.readString()) else { throw JSONReader.Miss() }")
            w.line("self = value")
        }
        w.line()
        w.line("/// Writes the raw value (`WireJSONCodable`).")
        w.block("public func writeJSON(to writer: inout JSONWriter)") { w in
            w.line("writer.write(rawValue)")
        }
    }

    private func local(_ field: Field) -> String {
        "field_" + SwiftNames.identifier(field.name).trimmingCharacters(in: ["`"])
    }

    private func seen(_ field: Field) -> String {
        "seen_" + SwiftNames.identifier(field.name).trimmingCharacters(in: ["`"])
    }
}
