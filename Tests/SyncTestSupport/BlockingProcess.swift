public import Foundation
import Glibc

/// Runs a program to its end with `posix_spawn` and `waitpid`, blocking the calling thread, with
/// its output in a file rather than a pipe (a server the program leaves running, as `pg_ctl
/// start` does, would hold a pipe open forever) and with every signal unblocked and at its
/// default (Foundation's `Process` can pass on a blocked SIGALRM, which stops `pgbench -T`).
public enum BlockingProcess {
    /// The program's output (standard output and error together), when it exits with 0.
    public static func run(_ argv: [String], environment: [String: String] = [:]) throws -> String {
        precondition(!argv.isEmpty, "argv needs the program")
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" }
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("mobilesync-output-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = variables.map { strdup($0) } + [nil]
        defer { (cArguments + cEnvironment).forEach { free($0) } }
        let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment)
        guard spawned == 0 else { throw BlockingProcessFailure(description: "could not start \(argv[0]): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = FileManager.default.contents(atPath: outputPath).map { String(decoding: $0, as: UTF8.self) } ?? ""
        guard status & 0x7f == 0 && (status >> 8) & 0xff == 0 else {
            throw BlockingProcessFailure(description: "\(URL(fileURLWithPath: argv[0]).lastPathComponent) failed (status \(status)): \(text)")
        }
        return text
    }
}

/// A program that could not be started or did not exit with 0, with its output.
public struct BlockingProcessFailure: Error, CustomStringConvertible {
    /// What happened, with the program's output.
    public var description: String
}
