import Foundation
import SyncTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// What the benchmark reads of a process from `/proc` (Linux), and how it keeps the server and
/// the load generator on separate cores.
enum ProcessProbe {
    /// Resident memory in bytes.
    static func residentBytes(pid: Int32) -> Int64 {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8) else { return 0 }
        let pages = text.split(separator: " ").dropFirst().first.flatMap { Int64($0) } ?? 0
        return pages * Int64(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// CPU time used so far (user and system), in seconds.
    static func cpuSeconds(pid: Int32) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return 0 }
        // After "pid (comm) ", the fields start at the third; utime and stime are the 14th and 15th.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Fraction of one core `pid` used over `seconds`, measured now.
    static func coreFraction(pid: Int32, over seconds: Double) -> Double {
        let before = cpuSeconds(pid: pid)
        Thread.sleep(forTimeInterval: seconds)
        return (cpuSeconds(pid: pid) - before) / seconds
    }

    /// Binds every thread of `pid` (and so the threads they start later) to `cpu` with
    /// util-linux's `taskset`; false when the machine has a single core or that failed.
    @discardableResult
    static func pin(pid: Int32, cpu: Int) -> Bool {
        guard sysconf(Int32(_SC_NPROCESSORS_ONLN)) > 1 else { return false }
        return (try? BlockingProcess.run(["/usr/bin/taskset", "--all-tasks", "--cpu-list", "-p", "\(cpu)", "\(pid)"])) != nil
    }

    /// Raises this process's open-file limit to its hard limit (children inherit it); the new
    /// soft limit.
    static func raiseOpenFileLimit() -> Int {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        limit.rlim_cur = limit.rlim_max
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return Int(limit.rlim_cur)
    }
}
