/// Retry guidance and the close-code registry.
extension LintContext {
    /// A retryable code has a `retry` block, a code that is not retryable has none (ERR-10).
    func checkRetries() {
        for error in spec.errors {
            let what = "error '\(error.code)'"
            switch (error.retryable, error.retry) {
            case (true, nil):
                sink.error(error.info.location, "\(what) is retryable but has no 'retry' block (action and min_delay_ms)")
            case (false, let retry?):
                sink.error(retry.location, "\(what) is not retryable, so it must not have a 'retry' block")
            case (true, let retry?):
                if retry.action.isEmpty { sink.error(retry.location, "'retry' of \(what) has an empty 'action'") }
                if retry.since > spec.version {
                    sink.error(retry.location, "'retry' of \(what) has since \(retry.since), later than the spec version \(spec.version)")
                }
                if retry.since < error.info.since {
                    sink.error(retry.location, "'retry' of \(what) has since \(retry.since), earlier than the error's since \(error.info.since)")
                }
            case (false, nil):
                break
            }
        }
    }

    /// Every close code an error names is registered, and each entry's `error` agrees with the
    /// errors that close with it.
    func checkCloseCodes() {
        for error in spec.errors {
            if let code = error.closeCode, spec.closeCode(code) == nil {
                sink.error(error.info.location, "error '\(error.code)' closes with \(code), which is not in the close-code registry (close_codes)")
            }
        }
        for entry in spec.closeCodes {
            let what = "close code \(entry.code)"
            checkSince(entry.info, what)
            let closing = spec.errors(closingWith: entry.code).map(\.code)
            switch entry.error {
            case .never where !closing.isEmpty:
                sink.error(entry.info.location, "\(what) says no error precedes it, but \(closing.joined(separator: ", ")) close with it")
            case .always where closing.isEmpty, .sometimes where closing.isEmpty:
                sink.error(entry.info.location, "\(what) says an error precedes it, but no error has close_code \(entry.code)")
            default:
                break
            }
        }
    }
}
