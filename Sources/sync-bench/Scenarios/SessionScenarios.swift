import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Many open WebSocket sessions: what idle ones cost a server, and how fast one change reaches
/// many listeners.
enum SessionScenarios {
    /// What `count` idle connections cost the process `pid`: resident bytes per connection and
    /// the fraction of a core it uses while they sit idle for `idleSeconds`. `open` makes one
    /// connection; they stay open while `during` runs, then close.
    static func idleCost<Connection>(pid: Int32, count: Int, idleSeconds: Double, open: () throws -> Connection,
                                     during: () throws -> Void = {}) throws -> (bytesPerConnection: Double, coreFraction: Double) {
        Thread.sleep(forTimeInterval: 0.5)
        let before = ProcessProbe.residentBytes(pid: pid)
        var connections: [Connection] = []
        connections.reserveCapacity(count)
        for index in 0..<count {
            connections.append(try open())
            if index % 1000 == 999 { Progress.note("  \(index + 1) of \(count) connections open") }
        }
        Thread.sleep(forTimeInterval: 0.5)
        let core = ProcessProbe.coreFraction(pid: pid, over: idleSeconds)
        let after = ProcessProbe.residentBytes(pid: pid)
        try during()
        withExtendedLifetime(connections) {}
        return (Double(after - before) / Double(max(1, count)), core)
    }

    /// Milliseconds from sending a one-mutation push to each listener receiving its `change`,
    /// for `changes` pushes one after another; every listener must receive every change.
    static func fanOut(pusher: DeviceSession, listeners: [DeviceSession], changes: Int) throws -> [Double] {
        var latencies: [Double] = []
        latencies.reserveCapacity(changes * listeners.count)
        var polls = listeners.map { pollfd(fd: $0.socket.descriptor, events: Int16(POLLIN), revents: 0) }
        for _ in 0..<changes {
            let (message, requestId) = pusher.device.pushMessage(1)
            let sent = ContinuousClock.now
            try pusher.socket.sendText(message)
            var received = [Bool](repeating: false, count: listeners.count)
            var waiting = listeners.count
            let deadline = sent + .seconds(10)
            while waiting > 0 {
                guard ContinuousClock.now < deadline else { throw BenchFailure("\(waiting) listeners did not receive a change within 10 s") }
                let ready = poll(&polls, nfds_t(polls.count), 100)
                guard ready >= 0 else { throw BenchFailure("poll failed (errno \(errno))") }
                for index in polls.indices where polls[index].revents != 0 {
                    try listeners[index].socket.fill()
                    while let reply = try listeners[index].socket.nextMessage() {
                        guard reply.contains(marker: #""type":"change""#), !received[index] else { continue }
                        received[index] = true
                        waiting -= 1
                        latencies.append((ContinuousClock.now - sent).seconds * 1000)
                    }
                }
            }
            // The author's own session gets the push's answer, not the change.
            let answer = Array(#""request_id":"\#(requestId)""#.utf8)
            while try pusher.socket.readMessage().firstRange(of: answer) == nil {}
        }
        return latencies
    }
}
