import Crypto
import Foundation

/// A device of the load generator: its token and the next sequence number and request number
/// it uses, and the push bodies it sends (new records of a `bench` collection, numbered from 1).
final class BenchDevice {
    let token: String
    let name: String
    private var seq: Int64 = 0
    private var request = 0

    init(secret: String, tenant: String, device: String) {
        token = BenchTokens.mint(secret: secret, tenant: tenant, device: device)
        name = device
    }

    /// The JSON array of `count` new mutations, taking the next sequence numbers.
    func mutations(_ count: Int) -> String {
        let items = (0..<count).map { _ -> String in
            seq += 1
            return #"{"seq":\#(seq),"collection":"bench","record_id":"\#(name)-\#(seq)","op":"create","base_version":0,"client_time":1767225600000,"#
                + #""fields":{"n":\#(seq),"title":"benchmark record \#(seq)","done":false,"tags":["load","bench"]}}"#
        }
        return "[" + items.joined(separator: ",") + "]"
    }

    /// A `push` message of `count` new mutations, and its request id.
    func pushMessage(_ count: Int) -> (bytes: [UInt8], requestId: String) {
        request += 1
        let requestId = "r\(request)"
        let text = #"{"type":"push","request_id":"\#(requestId)","idempotency_key":"\#(name)-\#(request)","mutations":\#(mutations(count))}"#
        return (Array(text.utf8), requestId)
    }

    /// A REST push request of `count` new mutations on a kept-alive connection.
    func httpPush(_ count: Int) -> [UInt8] {
        request += 1
        return Self.post(path: "/v1/sync/push", body: #"{"mutations":\#(mutations(count))}"#,
                         headers: ["Authorization: Bearer \(token)", "Idempotency-Key: \(name)-\(request)"])
    }

    /// An HTTP/1.1 POST with a JSON body.
    static func post(path: String, body: String, headers: [String] = []) -> [UInt8] {
        let head = (["POST \(path) HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json", "Content-Length: \(body.utf8.count)"] + headers)
            .joined(separator: "\r\n")
        return Array((head + "\r\n\r\n" + body).utf8)
    }

    /// The first message of a session.
    static let hello = Array(#"{"type":"hello","protocol_version":"1.6.0","client":{"platform":"linux","app_version":"1.0.0","os_version":"6.1","network_type":"wifi"}}"#.utf8)
}

/// A device's WebSocket session: upgraded, `hello` sent and `welcome` received.
final class DeviceSession {
    let device: BenchDevice
    let socket: BenchSocket
    /// `change` messages received while waiting for answers.
    private(set) var changesSeen = 0

    init(port: Int, device: BenchDevice) throws {
        self.device = device
        socket = try BenchSocket(port: port)
        try socket.upgrade(path: "/v1/sync", token: device.token, subprotocol: "mobilesync.v1")
        try socket.sendText(BenchDevice.hello)
        let welcome = try socket.readMessage()
        guard welcome.contains(marker: #""type":"welcome""#) else {
            throw BenchFailure("hello was not welcomed: \(String(decoding: welcome.prefix(200), as: UTF8.self))")
        }
    }

    /// Sends `message` and waits for the `push_result` answering `requestId`; whether it was a
    /// replay. Changes of other devices that arrive meanwhile are counted.
    @discardableResult
    func push(_ message: [UInt8], requestId: String) throws -> Bool {
        try socket.sendText(message)
        let answer = Array(#""request_id":"\#(requestId)""#.utf8)
        while true {
            let reply = try socket.readMessage()
            if reply.contains(marker: #""type":"change""#) {
                changesSeen += 1
                continue
            }
            guard reply.firstRange(of: answer) != nil else { continue }
            guard reply.contains(marker: #""type":"push_result""#) else {
                throw BenchFailure("a push was refused: \(String(decoding: reply.prefix(300), as: UTF8.self))")
            }
            return reply.contains(marker: #""replayed":true"#)
        }
    }
}

/// HS256 device tokens, minted here so that thousands of devices cost no process each.
enum BenchTokens {
    static func mint(secret: String, tenant: String, device: String) -> String {
        let header = base64URL(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let now = Int(Date().timeIntervalSince1970)
        let claims = #"{"tenant_id":"\#(tenant)","sub":"\#(device)","device_id":"\#(device)","iat":\#(now),"exp":\#(now + 86_400)}"#
        let input = header + "." + base64URL(Array(claims.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return input + "." + base64URL(Array(mac))
    }

    private static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

extension Array where Element == UInt8 {
    func contains(marker: String) -> Bool { firstRange(of: Array(marker.utf8)) != nil }
}
