/// WebSocket close codes the session uses besides the registry's.
package enum CloseCode {
    /// 1000: the session ended normally.
    package static let normal: UInt16 = 1000
    /// 1001: the server is going away (shutdown).
    package static let goingAway: UInt16 = 1001
    /// 1002: the client broke the framing rules (RFC 6455 §5.4: a fragment with nothing to
    /// continue, or a new message inside a fragmented one).
    package static let protocolError: UInt16 = 1002
    /// 1007: a text message was not UTF-8 (RFC 6455 §8.1).
    package static let invalidPayload: UInt16 = 1007
    /// 1009: a message was too big.
    package static let messageTooBig: UInt16 = 1009
    /// 1012: the service restarted (test-control reset of the tenant).
    package static let serviceRestart: UInt16 = 1012
}
