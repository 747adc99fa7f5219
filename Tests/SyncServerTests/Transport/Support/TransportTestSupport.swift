import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SyncProtocol
@testable import SyncServer
import Testing

/// Bearer tokens the fake authenticator knows, and whom they belong to.
enum TestToken {
    static let device = "device-token"
    static let otherDevice = "other-device-token"
    static let `operator` = "operator-token"
    static let userWithoutDevice = "user-token"
    static let expired = "expired-token"

    static let devicePrincipal = Principal(tenant: "tenant-a", user: "user-1", device: "ios-1")
    static let otherDevicePrincipal = Principal(tenant: "tenant-a", user: "user-2", device: "ios-2")
    static let operatorPrincipal = Principal(tenant: "tenant-a", user: "admin", device: nil, roles: ["operator"])
    static let userPrincipal = Principal(tenant: "tenant-a", user: "user-3", device: nil)

    /// Stands in for JWT verification: known tokens map to principals, `expired-token` is
    /// `token_expired`, anything else `unauthorized`.
    static let authenticate: Authenticator = { token throws(ServiceError) in
        switch token {
        case device: return devicePrincipal
        case otherDevice: return otherDevicePrincipal
        case `operator`: return operatorPrincipal
        case userWithoutDevice: return userPrincipal
        case expired: throw ServiceError(.tokenExpired, "the token expired")
        default: throw ServiceError(.unauthorized, "the token does not verify")
        }
    }
}

/// How much the tests log: `TRANSPORT_TEST_LOG=trace swift test` shows what the server does.
let testLogLevel = ProcessInfo.processInfo.environment["TRANSPORT_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .critical

/// A transport over `service` with the fake authenticator.
func makeTransport(
    service: FakeSyncService = FakeSyncService(), testControl: Bool = false, limits: TransportLimits = TransportLimits(),
    logger: Logger? = nil
) -> SyncTransport {
    var logger = logger ?? Logger(label: "transport-tests")
    if logger.label == "transport-tests" { logger.logLevel = testLogLevel }
    return SyncTransport(
        service: service, authenticate: TestToken.authenticate,
        configuration: TransportConfiguration(host: "127.0.0.1", port: 0, limits: limits, testControlEnabled: testControl, logger: logger)
    )
}

extension HTTPFields {
    /// `Authorization: Bearer <token>` plus, when given, a JSON content type.
    static func bearer(_ token: String, json: Bool = false) -> HTTPFields {
        var fields: HTTPFields = [.authorization: "Bearer \(token)"]
        if json { fields[.contentType] = "application/json" }
        return fields
    }
}

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name(WireHeaders.idempotencyKey)!
    static let idempotentReplayed = HTTPField.Name(WireHeaders.idempotentReplayed)!
}

extension ByteBuffer {
    /// A buffer holding `text`.
    static func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    /// The buffer's bytes.
    var data: Data { Data(readableBytesView) }
}

/// Decodes a response body without validating it (tests also look at deliberately odd values).
func decodeBody<Value: Decodable>(_ type: Value.Type, _ body: ByteBuffer) throws -> Value {
    try JSONDecoder().decode(Value.self, from: body.data)
}

/// Checks that `response` is the problem document of `code` as ERR-1 describes it, and returns it.
@discardableResult
func expectProblem(_ response: TestResponse, _ code: ErrorCode, sourceLocation: SourceLocation = #_sourceLocation) throws -> Problem {
    let info = try #require(code.info, sourceLocation: sourceLocation)
    #expect(response.status.code == info.status, "status", sourceLocation: sourceLocation)
    #expect(response.headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
    let problem = try decodeBody(Problem.self, response.body)
    #expect(problem.code == code.rawValue, sourceLocation: sourceLocation)
    #expect(problem.type == "urn:mobilesync:error:\(code.rawValue)", sourceLocation: sourceLocation)
    #expect(problem.title == info.title, sourceLocation: sourceLocation)
    #expect(problem.status == Int64(info.status), sourceLocation: sourceLocation)
    #expect(problem.retryable == info.retryable, sourceLocation: sourceLocation)
    #expect(problem.validate().isEmpty, "the problem is valid per its schema", sourceLocation: sourceLocation)
    if info.retryable {
        #expect(response.headers[.retryAfter] != nil, "retryable errors carry Retry-After", sourceLocation: sourceLocation)
        #expect(problem.retryAfterMs != nil, sourceLocation: sourceLocation)
    }
    if info.status == 401 {
        #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true, sourceLocation: sourceLocation)
    }
    return problem
}

/// A mutation for push bodies.
func mutation(seq: Int64, recordId: String = "task-1", fields: JSONObject = ["title": "Inspect pump 3"]) -> Mutation {
    Mutation(seq: seq, collection: "tasks", recordId: recordId, op: .update, baseVersion: 1, fields: fields, clientTime: 1_767_225_598_000)
}

/// The canonical JSON of a wire value, as text.
func wireJSON(_ value: some Encodable & WireJSONCodable) -> String {
    String(decoding: WireCodec.encode(value), as: UTF8.self)
}
