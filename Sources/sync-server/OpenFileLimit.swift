import Logging
import SyncServer
#if canImport(Glibc)
import Glibc
#endif

/// Raises the soft limit on open files to the hard limit at start, so that the connection cap
/// (`--max-connections`), not the descriptor table, decides how many clients a node serves; warns
/// when the cap cannot fit under the limit (each connection takes one descriptor, and the
/// database and uploads need some more).
func raiseOpenFileLimit(for connections: ServerConfiguration.Connections, logger: Logger) {
    #if os(Linux)
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
    let before = limit.rlim_cur
    if limit.rlim_cur < limit.rlim_max {
        var raised = limit
        raised.rlim_cur = limit.rlim_max
        if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
    }
    let soft = Int64(clamping: limit.rlim_cur)
    logger.info("open file limit", metadata: ["before": "\(before)", "now": "\(soft)", "hard": "\(limit.rlim_max)"])
    let reserve: Int64 = 64
    if connections.maxConnections > soft - reserve {
        logger.warning("--max-connections is above the open file limit less \(reserve) for the database and uploads; raise the hard limit (ulimit -Hn, LimitNOFILE=) or lower it",
                       metadata: ["max_connections": "\(connections.maxConnections)", "open_file_limit": "\(soft)"])
    }
    #endif
}
