/// Messages, schemas and enums.
extension MarkdownRenderer {
    func messages() -> [String] {
        var blocks = [
            anchor("messages") + "\n## Messages",
            "Every frame is a JSON object whose `type` is the message name. Receivers ignore fields they do not know.",
        ]
        for message in spec.messages {
            var facts = ["**Direction:** \(directionText(message.direction))"]
            if !message.replies.isEmpty {
                facts.append("**Replies:** " + message.replies.map(messageLink).joined(separator: ", "))
            }
            let discriminator = ["`type`", "`string`", "yes", "always `\"\(message.name)\"`", "The message type."]
            blocks += [
                anchor("message-\(message.name)") + "\n### `\(message.name)`",
                "*\(message.summary)*",
                facts.joined(separator: " · "),
            ]
            blocks += versionNotes(message.info)
            blocks += [message.info.description, fieldsTable(message.fields, first: [discriminator])]
            blocks += labelled(message.examples.count == 1 ? "Example:" : "Examples:", exampleBlocks(message.examples))
        }
        return blocks
    }

    func schemas() -> [String] {
        var blocks = [
            anchor("schemas") + "\n## Schemas",
            "Named object types used by messages and REST bodies. Receivers ignore fields they do not know.",
        ]
        for schema in spec.schemas {
            blocks.append(anchor("schema-\(schema.name)") + "\n### `\(schema.name)`")
            blocks += versionNotes(schema.info)
            blocks += [schema.info.description, fieldsTable(schema.fields)]
            blocks += labelled(schema.examples.count == 1 ? "Example:" : "Examples:", exampleBlocks(schema.examples))
        }
        return blocks
    }

    func enums() -> [String] {
        var blocks = [anchor("enums") + "\n## Enums", "Closed sets of string values."]
        for enumeration in spec.enums {
            blocks.append(anchor("enum-\(enumeration.name)") + "\n### `\(enumeration.name)`")
            blocks += versionNotes(enumeration.info)
            let rows = enumeration.values.map { value in
                var text = Self.describe(value.info)
                if value.info.since != .initial { text += " Since \(value.info.since)." }
                return ["`\(value.name)`", cell(text)]
            }
            blocks += [enumeration.info.description, Self.table(["Value", "Description"], rows)]
        }
        return blocks
    }

    /// `label` followed by `blocks`, or nothing when there are none.
    func labelled(_ label: String, _ blocks: [String]) -> [String] {
        blocks.isEmpty ? [] : ["**\(label)**"] + blocks
    }
}
