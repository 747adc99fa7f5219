/// Retry guidance of errors and the close-code registry: what clients do after a refusal or a
/// close. A rule that makes old clients wait less, or that they did not have, is compatible; one
/// that makes them wait longer, or act otherwise, breaks them.
extension ChangeCollector {
    mutating func compareRetry(_ was: RetryPolicy?, _ now: RetryPolicy?, _ path: String, _ what: String, at: SourceLocation) {
        switch (was, now) {
        case (nil, let added?):
            var message = "retry guidance added to \(what) (at least \(added.minDelayMs) ms)"
            if added.since <= old.version {
                message += " (since \(added.since) is not later than the old version \(old.version): set since to the version that adds it)"
            }
            report(.compatible, path, message, at: added.location)
        case (_?, nil):
            report(.breaking, path, "retry guidance of \(what) was removed: old clients retry by it", at: at)
        case (let before?, let after?):
            compareDelay(before.minDelayMs, after.minDelayMs, "\(path).min_delay_ms", "minimum retry delay of \(what)",
                         at: after.location, because: "old clients may retry sooner")
            if before.action != after.action {
                report(.cosmetic, "\(path).action", "retry action of \(what) changed", at: after.location)
            }
            compare(before.since, after.since, .cosmetic, path, "since of the retry guidance of \(what)", at: after.location)
        case (nil, nil):
            break
        }
    }

    mutating func compareCloseCodes() {
        let matched = Matched(old.closeCodes, new.closeCodes, key: { String($0.code) })
        for entry in matched.removed {
            reportRemoved("close_codes.\(entry.code)", "close code \(entry.code)", because: "old peers still send or handle it")
        }
        for entry in matched.added {
            reportAdded("close_codes.\(entry.code)", "close code \(entry.code) (\(entry.title))", entry.info)
        }
        for (was, now) in matched.kept {
            let path = "close_codes.\(now.code)"
            let what = "close code \(now.code)"
            let at = now.info.location
            compare(was.title, now.title, .cosmetic, "\(path).title", "title of \(what)", at: at, show: Self.quoted)
            compare(was.sentBy, now.sentBy, .compatible, "\(path).sent_by", "senders of \(what)", at: at,
                    show: { Self.list($0.map(\.rawValue)) })
            compare(was.error, now.error, .breaking, "\(path).error", "whether an error precedes \(what)", at: at,
                    because: "old clients expect the error message before the close (or not) as before", show: \.rawValue)
            compare(was.reconnect, now.reconnect, .breaking, "\(path).reconnect", "reconnect rule of \(what)", at: at,
                    because: "old clients reconnect by the old rule", show: \.rawValue)
            if let before = was.minDelayMs, let after = now.minDelayMs {
                compareDelay(before, after, "\(path).min_delay_ms", "minimum reconnect delay of \(what)", at: at,
                             because: "old clients may reconnect sooner")
            }
            if was.action != now.action {
                report(.cosmetic, "\(path).action", "client action of \(what) changed", at: at)
            }
            compareInfo(was.info, now.info, path, what)
        }
    }

    /// A minimum delay: raised breaks old clients (they wait less), lowered does not.
    private mutating func compareDelay(_ before: Int64, _ after: Int64, _ path: String, _ what: String,
                                       at: SourceLocation, because reason: String) {
        guard before != after else { return }
        if after > before {
            report(.breaking, path, "\(what) raised from \(before) ms to \(after) ms: \(reason)", at: at)
        } else {
            report(.compatible, path, "\(what) lowered from \(before) ms to \(after) ms", at: at)
        }
    }
}
