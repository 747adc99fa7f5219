import Crypto
import Foundation

/// Deterministic blob bytes, generated piece by piece so large blobs are never held whole.
/// Seeded blobs are SplitMix64 output as little-endian 8-byte words; fill blobs repeat a text.
public struct BlobGenerator: Sendable {
    /// The definition.
    public let spec: BlobSpec

    /// Creates a generator for `spec`.
    public init(_ spec: BlobSpec) {
        self.spec = spec
    }

    /// SplitMix64's `k`-th output (0-based) for `seed`.
    public static func splitMix64(seed: UInt64, index: UInt64) -> UInt64 {
        var z = seed &+ (index &+ 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The bytes of `range` (clamped to the blob).
    public func bytes(_ range: Range<Int>) -> [UInt8] {
        let lower = max(0, min(range.lowerBound, spec.size))
        let upper = max(lower, min(range.upperBound, spec.size))
        var out = [UInt8]()
        out.reserveCapacity(upper - lower)
        switch spec.source {
        case .seed(let seed):
            var offset = lower
            while offset < upper {
                let word = Self.splitMix64(seed: seed, index: UInt64(offset / 8))
                let wordEnd = min(upper, (offset / 8 + 1) * 8)
                while offset < wordEnd {
                    out.append(UInt8(truncatingIfNeeded: word >> UInt64((offset % 8) * 8)))
                    offset += 1
                }
            }
        case .fill(let text):
            let pattern = Array(text.utf8)
            for offset in lower..<upper { out.append(pattern[offset % pattern.count]) }
        }
        return out
    }

    /// Calls `body` with consecutive pieces of `range`, each at most `chunk` bytes.
    public func forEachChunk(_ range: Range<Int>, chunk: Int = 65_536, _ body: ([UInt8]) throws -> Void) rethrows {
        var offset = range.lowerBound
        while offset < range.upperBound {
            let end = min(offset + chunk, range.upperBound)
            try body(bytes(offset..<end))
            offset = end
        }
    }

    /// SHA-256 of `range`.
    public func sha256(_ range: Range<Int>) -> [UInt8] {
        var hasher = SHA256()
        forEachChunk(range) { hasher.update(data: $0) }
        return Array(hasher.finalize())
    }

    /// The interpolation value of `property` (`sha256`, `size`, `digest`) for `range` (default the whole blob).
    public func value(_ property: String, range: Range<Int>?) throws -> JSON {
        let slice = (range ?? 0..<spec.size).clamped(to: 0..<spec.size)
        switch property {
        case "size": return .int(Int64(slice.count))
        case "sha256": return .string(sha256(slice).map { String(format: "%02x", $0) }.joined())
        case "digest": return .string("sha-256=:\(Data(sha256(slice)).base64EncodedString()):")
        default: throw InterpolationError(expression: "blob.\(spec.name).\(property)", reason: "a blob has sha256, size and digest")
        }
    }
}
