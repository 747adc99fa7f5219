import CoreMetrics
import Foundation
import Prometheus
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The standard `process_*` series of Prometheus client libraries, read from `/proc/self` at
/// each scrape (Linux; elsewhere they stay at 0): CPU time, resident and virtual memory, open
/// and allowed file descriptors, start time.
final class ProcessMetrics: Sendable {
    private let cpuSeconds: FloatingPointCounter
    private let residentBytes: CoreMetrics.Gauge
    private let virtualBytes: CoreMetrics.Gauge
    private let openFileDescriptors: CoreMetrics.Gauge
    private let maxFileDescriptors: CoreMetrics.Gauge
    private let startTime: CoreMetrics.Gauge
    /// CPU seconds already counted, so each scrape adds only what was used since.
    private let countedCPU = Mutex(0.0)

    init(factory: PrometheusMetricsFactory) {
        cpuSeconds = FloatingPointCounter(label: "process_cpu_seconds_total", factory: factory)
        residentBytes = CoreMetrics.Gauge(label: "process_resident_memory_bytes", factory: factory)
        virtualBytes = CoreMetrics.Gauge(label: "process_virtual_memory_bytes", factory: factory)
        openFileDescriptors = CoreMetrics.Gauge(label: "process_open_fds", factory: factory)
        maxFileDescriptors = CoreMetrics.Gauge(label: "process_max_fds", factory: factory)
        startTime = CoreMetrics.Gauge(label: "process_start_time_seconds", factory: factory)
        update()
    }

    /// Reads the process's figures now.
    func update() {
        #if os(Linux)
        guard let reading = Self.read() else { return }
        let added = countedCPU.withLock { counted -> Double in
            let delta = max(0, reading.cpuSeconds - counted)
            counted = max(counted, reading.cpuSeconds)
            return delta
        }
        if added > 0 { cpuSeconds.increment(by: added) }
        residentBytes.record(reading.residentBytes)
        virtualBytes.record(reading.virtualBytes)
        openFileDescriptors.record(reading.openFileDescriptors)
        maxFileDescriptors.record(reading.maxFileDescriptors)
        startTime.record(reading.startTime)
        #endif
    }

    struct Reading {
        var cpuSeconds: Double
        var residentBytes: Int64
        var virtualBytes: Int64
        var openFileDescriptors: Int64
        var maxFileDescriptors: Int64
        var startTime: Double
    }

    #if os(Linux)
    /// Parses `/proc/self/stat` (fields after the parenthesised command name, which may hold
    /// spaces), `/proc/self/fd`, `/proc/stat`'s boot time and the descriptor limit.
    static func read() -> Reading? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields from state (3) on; utime is 14, stime 15, starttime 22, vsize 23, rss 24.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        func field(_ number: Int) -> Double? { fields.count > number - 3 ? Double(fields[number - 3]) : nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        guard ticks > 0, let utime = field(14), let stime = field(15), let started = field(22), let vsize = field(23), let rss = field(24) else {
            return nil
        }
        let openFiles = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        var limit = rlimit()
        let maxFiles = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 ? Int64(clamping: limit.rlim_cur) : 0
        return Reading(cpuSeconds: (utime + stime) / ticks, residentBytes: Int64(rss * pageSize), virtualBytes: Int64(vsize),
                       openFileDescriptors: Int64(openFiles), maxFileDescriptors: maxFiles, startTime: bootTime() + started / ticks)
    }

    /// Seconds since the epoch when the machine booted (`btime` in `/proc/stat`).
    private static func bootTime() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst("btime ".count)) ?? 0
        }
        return 0
    }
    #endif
}
