/// The error registry with its retry guidance, and the close-code registry.
extension MarkdownRenderer {
    func errors() -> [String] {
        let rows = spec.errors.map { error in
            [anchor("error-\(error.code)") + "`\(error.code)`", String(error.status),
             error.closeCode.map(closeCodeLink) ?? "—", error.retryable ? "yes" : "no",
             cell(error.retry.map(retryText) ?? "—"),
             cell("**\(error.title).** " + Self.describe(error.info))]
        }
        var blocks = [
            anchor("errors") + "\n## Errors",
            "On REST an error is an RFC 9457 `application/problem+json` body carrying the code, with the "
                + "HTTP status below. On WebSocket it is an `error` message carrying the code; with a close "
                + "code the server then closes the connection with it, without one the connection stays open. "
                + "Retryable: whether the same request can succeed if sent again unchanged. Retry: what the client "
                + "does, and the least delay before it sends the same request again unchanged; it waits longer "
                + "when `retry_after_ms` (REST: `Retry-After`) says so, and the server never announces less.",
            Self.table(["Code", "HTTP status", "Close code", "Retryable", "Retry", "Meaning"], rows),
        ]
        if !spec.closeCodes.isEmpty { blocks += closeCodes() }
        return blocks
    }

    private func closeCodes() -> [String] {
        let rows = spec.closeCodes.map { entry in
            [anchor("close-\(entry.code)") + "`\(entry.code)`", cell(entry.title), sendersText(entry.sentBy),
             cell(errorFirstText(entry)), reconnectText(entry), cell(entry.action),
             cell(Self.describe(entry.info) + (entry.info.since == .initial ? "" : " Since \(entry.info.since)."))]
        }
        return [
            anchor("close-codes") + "\n### Close codes",
            "Every WebSocket close code of the protocol. Error first: whether the server sends an `error` message "
                + "(with one of the codes shown) before it closes. Reconnect: whether a client that receives the code "
                + "reconnects, never sooner than the delay shown and with exponential backoff and random jitter after that.",
            Self.table(["Code", "Name", "Sent by", "Error first", "Reconnect", "What the client does", "Meaning"], rows),
        ]
    }

    func closeCodeLink(_ code: Int) -> String {
        spec.closeCode(code) == nil ? "`\(code)`" : "[`\(code)`](#close-\(code))"
    }

    /// `After at least 1000 ms: ...`, the guidance of a retryable code.
    private func retryText(_ retry: RetryPolicy) -> String {
        let delay = retry.minDelayMs == 0 ? "No minimum delay" : "After at least \(retry.minDelayMs) ms"
        return "\(delay): \(retry.action)" + (retry.since == .initial ? "" : " Since \(retry.since).")
    }

    private func sendersText(_ sides: [RequirementSubject]) -> String {
        sides.isEmpty ? "nobody (never in a close frame)" : sides.map(\.rawValue).joined(separator: ", ")
    }

    private func errorFirstText(_ entry: CloseCodeDefinition) -> String {
        let codes = spec.errors(closingWith: entry.code).map { errorLink($0.code) }.joined(separator: ", ")
        switch entry.error {
        case .always: return "always: \(codes)"
        case .sometimes: return "usually: \(codes)"
        case .never: return "no"
        }
    }

    private func reconnectText(_ entry: CloseCodeDefinition) -> String {
        let delay = entry.minDelayMs.map { $0 == 0 ? "at once" : "after ≥ \($0) ms" } ?? ""
        switch entry.reconnect {
        case .backoff: return "yes, \(delay)"
        case .newToken: return "with a new token, \(delay)"
        case .never: return "no"
        }
    }
}
