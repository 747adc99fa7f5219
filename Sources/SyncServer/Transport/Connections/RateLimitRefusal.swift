import NIOCore
import NIOHTTP1
import SyncProtocol

/// The 429 answer `RateLimitGate` writes, byte for byte the one `ProblemMiddleware` gives for
/// `RateLimiter`'s refusal, without encoding JSON per request: the body of each class is encoded
/// once around a placeholder delay, and each answer puts its own delay in the placeholder's place.
struct RateLimitRefusal: Sendable {
    private let headers: [(name: String, value: String)]
    private let bodyBeforeDelay: [UInt8]
    private let bodyAfterDelay: [UInt8]

    /// A delay no real one equals, found in the encoded body to split it.
    private static let placeholder: Int64 = 987_654_321_987

    /// The answers of one class; `nil` if its encoded body did not hold the placeholder once.
    init?(_ rateClass: RateClass) {
        let template = ProblemResponse(RateLimiter.refusal(rateClass, retryAfterMilliseconds: Self.placeholder))
        let body = Array(template.body)
        let digits = Array(String(Self.placeholder).utf8)
        guard let range = body.firstRange(of: digits), body[range.upperBound...].firstRange(of: digits) == nil else { return nil }
        bodyBeforeDelay = Array(body[..<range.lowerBound])
        bodyAfterDelay = Array(body[range.upperBound...])
        headers = template.headers.filter { $0.name != .retryAfter }.map { ($0.name.rawName, $0.value) }
    }

    /// The response head and body for a refusal whose delay on the wire (`retry_after_ms`, as
    /// `ServiceError.retryDelayMilliseconds` gives it) is `retryAfterMilliseconds`.
    /// With `closing`, the head says `Connection: close`.
    func response(retryAfterMilliseconds delay: Int64, closing: Bool = false, allocator: ByteBufferAllocator) -> (HTTPResponseHead, ByteBuffer) {
        var body = allocator.buffer(capacity: bodyBeforeDelay.count + bodyAfterDelay.count + 20)
        body.writeBytes(bodyBeforeDelay)
        body.writeString(String(delay))
        body.writeBytes(bodyAfterDelay)
        var fields = HTTPHeaders()
        for (name, value) in headers { fields.add(name: name, value: value) }
        fields.add(name: "Retry-After", value: String((delay + 999) / 1000))
        fields.add(name: "Content-Length", value: String(body.readableBytes))
        if closing { fields.add(name: "Connection", value: "close") }
        return (HTTPResponseHead(version: .http1_1, status: .tooManyRequests, headers: fields), body)
    }
}
