import Foundation

/// Renders the AsyncAPI 3.0 document of the WebSocket session.
///
/// Operations are written from the server application's point of view: a message the client
/// sends is a `receive` operation, a message the server sends is a `send` operation, and a
/// message either side sends has both. An operation whose message lists `replies` carries a
/// `reply` naming those messages on the same channel. The server entry holds the host of the
/// REST base URL (`http` becomes `ws`, `https` becomes `wss`); the channel's address is the
/// WebSocket path, so the server has no `pathname` of its own (it would double the path).
/// The error registry and the close-code registry are listed in the `x-error-codes` and
/// `x-close-codes` extensions; the bearer scheme carries the spec's authentication text.
package enum AsyncAPIRenderer {
    /// The key of the one channel.
    static let channel = "sync"
    /// The key of the one server.
    static let server = "default"
    /// The key of the bearer-token security scheme.
    static let bearerScheme = "bearerAuth"

    /// The whole document.
    package static func document(_ spec: ProtocolSpec) -> OrderedJSON.Object {
        let builder = JSONSchemaBuilder(spec: spec, refPrefix: "#/components/schemas/")
        let ws = spec.websocket
        let description = [spec.description, "## Version negotiation", ws.negotiation]
            .filter { !$0.isEmpty }.joined(separator: "\n\n")
        var messages = OrderedJSON.Object()
        var channelMessages = OrderedJSON.Object()
        for message in spec.messages {
            messages[message.name] = .object(self.message(message, builder: builder))
            channelMessages[message.name] = ["$ref": .string("#/components/messages/\(message.name)")]
        }
        var channelDescription = "One WebSocket per device session: JSON text frames, each an object with a `type` member naming the message. "
            + "The client offers the subprotocol `\(ws.subprotocol)` in `Sec-WebSocket-Protocol`."
        if !spec.closeCodes.isEmpty {
            channelDescription += " Either side may close the connection with the codes listed in `x-close-codes`, "
                + "which says for each whether an `error` message comes first and what a client does on receiving it."
        }
        let channel: OrderedJSON.Object = [
            "address": .string(ws.path),
            "title": .string("\(spec.title) WebSocket"),
            "description": .string(channelDescription),
            "messages": .object(channelMessages),
            "bindings": ["ws": .object(binding(ws))],
        ]
        let info: OrderedJSON.Object = [
            "title": .string(spec.title), "version": .string(spec.version.description), "description": .text(description),
        ]
        let bearer: OrderedJSON.Object = [
            "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
            "description": .string(spec.authentication.isEmpty
                ? "A JWT sent with the upgrade request; see the version negotiation text for details." : spec.authentication),
        ]
        let components: OrderedJSON.Object = [
            "schemas": .nonEmpty(builder.definitions()),
            "messages": .object(messages),
            "securitySchemes": [bearerScheme: .object(bearer)],
        ]
        return [
            "asyncapi": "3.0.0",
            "x-generated": .string(GeneratedNote.text(for: spec)),
            "info": .object(info),
            "defaultContentType": "application/json",
            "servers": [server: .object(serverEntry(spec))],
            "channels": [self.channel: .object(channel)],
            "operations": .object(operations(spec)),
            "components": .object(components),
            "x-error-codes": .array(spec.errors.map(RegistryJSON.error)),
            "x-close-codes": spec.closeCodes.isEmpty ? nil : .array(spec.closeCodes.map { RegistryJSON.closeCode($0, in: spec) }),
        ]
    }

    private static func serverEntry(_ spec: ProtocolSpec) -> OrderedJSON.Object {
        let url = URL(string: spec.baseURL)
        let host = (url?.host ?? "localhost") + (url?.port.map { ":\($0)" } ?? "")
        return [
            "host": .string(host),
            "protocol": url?.scheme == "https" ? "wss" : "ws",
            "description": .string("The example server of the REST API; the WebSocket shares its host."),
            "security": [["$ref": .string("#/components/securitySchemes/\(bearerScheme)")]],
        ]
    }

    /// The `ws` channel binding: the upgrade is a GET that offers the subprotocol.
    private static func binding(_ ws: WebSocketInfo) -> OrderedJSON.Object {
        let subprotocol: OrderedJSON.Object = [
            "type": "string",
            "description": .string("Must offer `\(ws.subprotocol)`; the server selects it."),
            "examples": [.string(ws.subprotocol)],
        ]
        let headers: OrderedJSON.Object = [
            "type": "object",
            "properties": ["Sec-WebSocket-Protocol": .object(subprotocol)],
            "required": ["Sec-WebSocket-Protocol"],
        ]
        return ["method": "GET", "headers": .object(headers), "bindingVersion": "0.1.0"]
    }

    private static func message(_ message: MessageDefinition, builder: JSONSchemaBuilder) -> OrderedJSON.Object {
        let examples: [OrderedJSON] = message.examples.enumerated().map { index, example in
            ["name": .string("\(message.name)_\(index + 1)"), "payload": OrderedJSON(example)]
        }
        var payload = builder.payload(message)
        payload["examples"] = nil
        var result: OrderedJSON.Object = [
            "name": .string(message.name),
            "title": .string(message.name),
            "summary": .text(message.summary),
            "description": .text(JSONSchemaBuilder.describe(message.info)),
            "contentType": "application/json",
            "payload": .object(payload),
            "examples": examples.isEmpty ? nil : .array(examples),
            "x-direction": .string(message.direction.rawValue),
            "x-replies": .strings(message.replies),
        ]
        result.merge(builder.annotations(message.info))
        return result
    }

    /// `receive_<type>` for each message a client sends and `send_<type>` for each a server sends.
    private static func operations(_ spec: ProtocolSpec) -> OrderedJSON.Object {
        var operations = OrderedJSON.Object()
        for message in spec.messages {
            if message.direction.fromClient {
                operations["receive_\(message.name)"] = .object(operation("receive", message))
            }
            if message.direction.fromServer {
                operations["send_\(message.name)"] = .object(operation("send", message))
            }
        }
        return operations
    }

    private static func operation(_ action: String, _ message: MessageDefinition) -> OrderedJSON.Object {
        let channelRef: OrderedJSON = ["$ref": .string("#/channels/\(channel)")]
        let reply: OrderedJSON? = message.replies.isEmpty ? nil : [
            "channel": channelRef,
            "messages": .array(message.replies.map(messageRef)),
        ]
        let who = action == "receive" ? "The server receives" : "The server sends"
        return [
            "action": .string(action),
            "channel": channelRef,
            "summary": .string("\(who) `\(message.name)`: \(message.summary)"),
            "messages": [messageRef(message.name)],
            "reply": reply,
        ]
    }

    private static func messageRef(_ name: String) -> OrderedJSON {
        ["$ref": .string("#/channels/\(channel)/messages/\(name)")]
    }
}
