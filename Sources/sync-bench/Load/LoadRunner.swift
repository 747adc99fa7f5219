import Foundation
import Synchronization

/// What a load run did: operations answered, the items they carried, and each operation's
/// latency in milliseconds.
struct LoadResult {
    var operations = 0
    var items = 0
    var seconds = 0.0
    var latencies: [Double] = []
    /// CPU time (user and system) the measured server used meanwhile, when it was measured.
    var serverCPUSeconds: Double?

    var operationsPerSecond: Double { Double(operations) / max(seconds, 1e-9) }
    var itemsPerSecond: Double { Double(items) / max(seconds, 1e-9) }

    /// The latency at `fraction` (0.95 for p95), in milliseconds.
    func percentile(_ fraction: Double) -> Double {
        guard !latencies.isEmpty else { return 0 }
        let sorted = latencies.sorted()
        return sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * fraction).rounded(.up)) - 1))]
    }
}

/// Drives workers from one thread each (plain blocking sockets, so the generator stays cheap).
enum LoadRunner {
    /// Closed loop: every worker runs `step` again as soon as it returns, for `seconds`. `step`
    /// returns the items the operation carried.
    static func closedLoop<Worker>(_ workers: [Worker], seconds: Double, step: @escaping @Sendable (Worker) throws -> Int) throws -> LoadResult {
        let deadline = ContinuousClock.now + .seconds(seconds)
        return try run(workers) { worker, result in
            while ContinuousClock.now < deadline {
                let started = ContinuousClock.now
                result.items += try step(worker)
                result.operations += 1
                result.latencies.append((ContinuousClock.now - started).seconds * 1000)
            }
        }
    }

    /// Open loop: operations are due at a steady `rate` a second for `seconds`, each taken by the
    /// next free worker; a latency counts from when the operation was due, not from when a
    /// worker got to send it, so a stalled server is not hidden (no coordinated omission).
    static func openLoop<Worker>(_ workers: [Worker], rate: Double, seconds: Double, step: @escaping @Sendable (Worker) throws -> Int) throws -> LoadResult {
        let next = Atomic<Int>(0)
        let start = ContinuousClock.now + .milliseconds(50)
        let total = Int(rate * seconds)
        return try run(workers) { worker, result in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < total else { return }
                let due = start + .seconds(Double(index) / rate)
                let wait = due - ContinuousClock.now
                if wait > .zero { Thread.sleep(forTimeInterval: wait.seconds) }
                result.items += try step(worker)
                result.operations += 1
                result.latencies.append((ContinuousClock.now - due).seconds * 1000)
            }
        }
    }

    /// One thread per worker running `body`; their results merged, timed from start to the last.
    private static func run<Worker>(_ workers: [Worker], body: @escaping @Sendable (Worker, inout LoadResult) throws -> Void) throws -> LoadResult {
        let merged = Mutex((result: LoadResult(), failure: String?.none))
        let started = ContinuousClock.now
        let threads = workers.map { worker in
            let box = UncheckedBox(worker)
            let thread = Thread {
                var local = LoadResult()
                var failure: String?
                do { try body(box.value, &local) } catch { failure = "\(error)" }
                merged.withLock { total in
                    total.result.operations += local.operations
                    total.result.items += local.items
                    total.result.latencies += local.latencies
                    if total.failure == nil { total.failure = failure }
                }
            }
            thread.stackSize = 1 << 20
            return thread
        }
        threads.forEach { $0.start() }
        while threads.contains(where: { !$0.isFinished }) { Thread.sleep(forTimeInterval: 0.01) }
        var (result, failure) = merged.withLock { $0 }
        if let failure { throw BenchFailure(failure) }
        result.seconds = (ContinuousClock.now - started).seconds
        return result
    }
}

/// Hands a load worker (a socket and its device, not `Sendable`) to the one thread that uses it.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
