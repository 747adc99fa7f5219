/// Structs for schemas and messages: properties, memberwise init, Codable, the fast codec, validation.
extension SwiftTypeContext {
    func renderStruct(name: String, doc: DefinitionInfo, fields: [Field], message: MessageDefinition?, into writer: inout SourceWriter) {
        writer.doc(docText(doc))
        writer.block("public struct \(name): \(message == nil ? "WireValue" : "WireMessage")") { w in
            if let message {
                w.line("/// The frame's `type` value.")
                w.line("public static let messageType = \(SwiftNames.literal(message.name))")
                w.line()
            }
            for field in fields {
                w.doc(docText(field.info))
                w.line("public var \(SwiftNames.identifier(field.name)): \(propertyType(field))")
                w.line()
            }
            renderInit(name: name, fields: fields, into: &w)
            w.line()
            renderCodingKeys(fields: fields, message: message, into: &w)
            w.line()
            renderDecoder(fields: fields, message: message, into: &w)
            w.line()
            renderEncoder(fields: fields, message: message, into: &w)
            w.line()
            renderFastDecoder(fields: fields, message: message, into: &w)
            w.line()
            renderFastEncoder(fields: fields, message: message, into: &w)
            w.line()
            renderValidation(fields: fields, into: &w)
        }
    }

    func propertyType(_ field: Field) -> String {
        field.required ? swiftType(field.type) : swiftType(field.type) + "?"
    }

    private func renderInit(name: String, fields: [Field], into w: inout SourceWriter) {
        w.line("/// Creates a value from its fields.")
        let parameters = fields.map { field in
            "\(SwiftNames.identifier(field.name)): \(propertyType(field))\(field.required ? "" : " = nil")"
        }
        w.block("public init(\(parameters.joined(separator: ", ")))") { w in
            for field in fields {
                let id = SwiftNames.identifier(field.name)
                w.line("self.\(id) = \(id)")
            }
        }
    }

    private func renderCodingKeys(fields: [Field], message: MessageDefinition?, into w: inout SourceWriter) {
        w.block("enum CodingKeys: String, CodingKey") { w in
            if message != nil { w.line("case type") }
            for field in fields {
                let id = SwiftNames.identifier(field.name)
                w.line(id.trimmingCharacters(in: ["`"]) == field.name ? "case \(id)" : "case \(id) = \(SwiftNames.literal(field.name))")
            }
        }
    }

    private func renderDecoder(fields: [Field], message: MessageDefinition?, into w: inout SourceWriter) {
        w.block("public init(from decoder: any Decoder) throws") { w in
            let needsContainer = message != nil || !fields.isEmpty
            if needsContainer { w.line("let container = try decoder.container(keyedBy: CodingKeys.self)") }
            if message != nil {
                w.block("guard try container.decode(String.self, forKey: .type) == Self.messageType else") { w in
                    w.line("throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: \"must be \\\"\\(Self.messageType)\\\"\")")
                }
            }
            if !needsContainer { w.line("_ = try decoder.container(keyedBy: CodingKeys.self)") }
            for field in fields {
                let id = SwiftNames.identifier(field.name)
                let method = field.required ? "decode" : "decodeIfPresent"
                w.line("self.\(id) = try container.\(method)(\(swiftType(field.type)).self, forKey: .\(id))")
            }
        }
    }

    private func renderEncoder(fields: [Field], message: MessageDefinition?, into w: inout SourceWriter) {
        w.block("public func encode(to encoder: any Encoder) throws") { w in
            w.line("\(fields.isEmpty && message == nil ? "_" : "var container") = encoder.container(keyedBy: CodingKeys.self)")
            if message != nil { w.line("try container.encode(Self.messageType, forKey: .type)") }
            for field in fields {
                let id = SwiftNames.identifier(field.name)
                w.line("try container.\(field.required ? "encode" : "encodeIfPresent")(self.\(id), forKey: .\(id))")
            }
        }
    }
}
