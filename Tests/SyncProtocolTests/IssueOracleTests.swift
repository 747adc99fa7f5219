import Foundation
import SyncTestSupport
import SyncProtocol
import SyncSpec
import Testing

/// Makes a valid frame invalid in random places: replaces values with values of another JSON kind
/// and removes members and elements, never the frame's own `type`.
struct FrameCorrupter {
    var random: SeededGenerator

    mutating func corrupt(_ frame: SpecValue, times: Int) -> SpecValue {
        var frame = frame
        for _ in 0..<times {
            let count = Self.positions(in: frame, isRoot: true)
            guard count > 0 else { break }
            var target = Int.random(in: 0..<count, using: &random)
            frame = Self.apply(to: frame, isRoot: true, target: &target, remove: Bool.random(using: &random)) ?? frame
        }
        return frame
    }

    /// How many values could be corrupted: every value below the root but the root's `type`.
    private static func positions(in value: SpecValue, isRoot: Bool) -> Int {
        let own = isRoot ? 0 : 1
        switch value.kind {
        case .object(let pairs):
            return own + pairs.filter { !isRoot || $0.key != "type" }.reduce(0) { $0 + positions(in: $1.value, isRoot: false) }
        case .array(let items):
            return own + items.reduce(0) { $0 + positions(in: $1, isRoot: false) }
        default:
            return own
        }
    }

    /// The value with its `target`-th position (preorder) replaced or removed; `nil` removes `value`.
    private static func apply(to value: SpecValue, isRoot: Bool, target: inout Int, remove: Bool) -> SpecValue? {
        if !isRoot {
            if target == 0 {
                target = -1
                return remove ? nil : otherKind(than: value)
            }
            target -= 1
        }
        switch value.kind {
        case .object(let pairs):
            let kept = pairs.compactMap { pair -> (key: String, value: SpecValue)? in
                guard target >= 0, !isRoot || pair.key != "type" else { return pair }
                return apply(to: pair.value, isRoot: false, target: &target, remove: remove).map { (pair.key, $0) }
            }
            return SpecValue(.object(kept), at: value.location)
        case .array(let items):
            let kept = items.compactMap { item in
                target >= 0 ? apply(to: item, isRoot: false, target: &target, remove: remove) : item
            }
            return SpecValue(.array(kept), at: value.location)
        default:
            return value
        }
    }

    private static func otherKind(than value: SpecValue) -> SpecValue {
        switch value.kind {
        case .string: SpecValue(.int(7), at: value.location)
        case .array, .object: SpecValue(.bool(true), at: value.location)
        default: SpecValue(.string("x"), at: value.location)
        }
    }
}

@Suite("issue lists against the spec's own checker")
struct IssueOracleTests {
    static let iterations = 60

    @Test("a randomly corrupted frame of every message lists exactly the paths the spec's checker finds",
          arguments: SpecFixture.spec.messages.map(\.name))
    func corruptedFrames(_ name: String) throws {
        let message = try #require(SpecFixture.spec.message(named: name))
        var generator = InstanceGenerator(spec: SpecFixture.spec, seed: stableSeed(name) ^ 0xBAD)
        var corrupter = FrameCorrupter(random: SeededGenerator(state: stableSeed(name)))
        let checker = ValueChecker(spec: SpecFixture.spec)
        for iteration in 0..<Self.iterations {
            let frame = corrupter.corrupt(generator.frame(for: message), times: 1 + iteration % 3)
            let expected = Set(checker.check(frame, message: message).map(\.path))
            do {
                _ = try SpecFixture.decodeFrame(frame.jsonData, sentBy: message.direction)
                #expect(expected.isEmpty, "accepted \(frame.canonicalJSON)")
            } catch {
                #expect(error.code == .invalidMessage, "\(frame.canonicalJSON)")
                #expect(Set(error.issues.map(\.path)) == expected, "\(frame.canonicalJSON)\n\(error)")
            }
        }
    }
}
