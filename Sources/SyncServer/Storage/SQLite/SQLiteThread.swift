import Foundation

/// A thread of a SQLite store's own, as a task executor. The store runs each write transaction with
/// the writer's thread as its preference, so its statements (synchronous calls on the writer's
/// `SQLiteDatabase`) follow one another on that thread without a hop between them, and a commit
/// that waits for the disk blocks that thread instead of one of the few threads of Swift's
/// cooperative pool; checkpoints run on another (`SQLiteCheckpointer`).
final class SQLiteThread: TaskExecutor, @unchecked Sendable {
    // @unchecked: `jobs` and `stopping` are only touched with `condition` locked.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopping = false

    /// Starts the thread, named `name` for debuggers and profilers (Linux keeps 15 bytes of it).
    init(name: String) {
        // Named from inside: a name set before `start` does not reach the thread on Linux.
        Thread { [self] in
            Thread.current.name = name
            run()
        }.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        defer { condition.unlock() }
        if stopping {
            // Nothing should prefer this executor once its store has closed; should anything still
            // do, it runs on a thread of its own rather than never.
            Thread { job.runSynchronously(on: self.asUnownedTaskExecutor()) }.start()
            return
        }
        jobs.append(job)
        condition.signal()
    }

    /// Lets the thread run the jobs it has and end. Called when the store closes.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        var batch: [UnownedJob] = []
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            swap(&batch, &jobs)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
