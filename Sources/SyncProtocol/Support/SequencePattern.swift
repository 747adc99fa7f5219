/// A pattern that is one anchored sequence of characters and classes, each with a quantifier
/// (`^[a-z][a-z0-9_]{0,63}\z`, the shape of nearly every pattern in the spec), matched directly
/// over Unicode scalars: many times cheaper than ICU, with ICU's answer.
///
/// `compile` takes only expressions it matches exactly as ICU does, in linear time: literals,
/// punctuation escapes and classes of literals and ranges (negated or not), quantified by `?`,
/// `*`, `+`, `{m}`, `{m,}` or `{m,n}`, between `^` and `\z`; and where a part of variable length
/// is followed only by parts whose characters it cannot take, so that taking all it can is
/// always right (no backtracking). Anything else stays with ICU.
struct SequencePattern: Sendable {
    /// A set of scalars: ranges, or everything outside them.
    struct CharacterSet: Sendable {
        var ranges: [ClosedRange<UInt32>]
        var negated: Bool

        func contains(_ scalar: Unicode.Scalar) -> Bool {
            let value = scalar.value
            var inside = false
            for range in ranges where range.contains(value) {
                inside = true
                break
            }
            return inside != negated
        }

        /// Whether no scalar is in both sets (answered `false` when unsure).
        func isDisjoint(from other: CharacterSet) -> Bool {
            guard !negated, !other.negated else { return false }
            return ranges.allSatisfy { mine in other.ranges.allSatisfy { !mine.overlaps($0) } }
        }
    }

    struct Part: Sendable {
        var characters: CharacterSet
        var minimum: Int
        var maximum: Int
    }

    let parts: [Part]

    /// Whether the whole of `value` matches.
    func matches(_ value: String) -> Bool {
        var scalars = value.unicodeScalars.makeIterator()
        var pending = scalars.next()
        for part in parts {
            var count = 0
            while count < part.maximum, let scalar = pending, part.characters.contains(scalar) {
                count += 1
                pending = scalars.next()
            }
            if count < part.minimum { return false }
        }
        return pending == nil
    }

    /// The matcher of `expression`, or `nil` when it is not a sequence matched exactly this way.
    static func compile(_ expression: String) -> SequencePattern? {
        var scanner = Scanner(Array(expression.unicodeScalars))
        guard scanner.take("^") else { return nil }
        var parts: [Part] = []
        while !scanner.atEnd {
            if scanner.rest == ["\\", "z"] { break }
            guard let characters = scanner.atom(), let (minimum, maximum) = scanner.quantifier() else { return nil }
            parts.append(Part(characters: characters, minimum: minimum, maximum: maximum))
        }
        guard scanner.rest == ["\\", "z"] else { return nil }
        for (index, part) in parts.enumerated() where part.minimum != part.maximum {
            // What follows, up to the first part that must take a character, may not take this one's.
            for next in parts[(index + 1)...] {
                guard part.characters.isDisjoint(from: next.characters) else { return nil }
                if next.minimum > 0 { break }
            }
        }
        return SequencePattern(parts: parts)
    }

    /// Reads an expression's scalars.
    private struct Scanner {
        private let scalars: [Unicode.Scalar]
        private var index = 0

        init(_ scalars: [Unicode.Scalar]) {
            self.scalars = scalars
        }

        var atEnd: Bool { index == scalars.count }
        var rest: ArraySlice<Unicode.Scalar> { scalars[index...] }

        private var next: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

        mutating func take(_ scalar: Unicode.Scalar) -> Bool {
            guard next == scalar else { return false }
            index += 1
            return true
        }

        /// A literal, an escaped punctuation character or a class.
        mutating func atom() -> CharacterSet? {
            guard let scalar = next else { return nil }
            index += 1
            switch scalar {
            case "[": return characterClass()
            case "\\":
                guard let escaped = escapedPunctuation() else { return nil }
                return CharacterSet(ranges: [escaped.value...escaped.value], negated: false)
            case ".", "^", "$", "|", "(", ")", "?", "*", "+", "{", "}", "]": return nil
            default: return CharacterSet(ranges: [scalar.value...scalar.value], negated: false)
            }
        }

        /// The character after a `\` when it is ASCII punctuation (a letter or digit names a class
        /// or an escape sequence: left to ICU).
        private mutating func escapedPunctuation() -> Unicode.Scalar? {
            guard let scalar = next, scalar.isASCII, !scalar.properties.isAlphabetic, !("0"..."9").contains(scalar),
                  scalar.value >= 0x21, scalar.value != 0x7F
            else { return nil }
            index += 1
            return scalar
        }

        /// The rest of a class after its `[`: literals and ranges; ICU's nested sets and set
        /// operations are left to ICU.
        private mutating func characterClass() -> CharacterSet? {
            let negated = take("^")
            var ranges: [ClosedRange<UInt32>] = []
            while next != nil, next != "]" {
                guard let low = classMember() else { return nil }
                if next == "-", index + 1 < scalars.count, scalars[index + 1] != "]" {
                    index += 1
                    guard let high = classMember(), low.value <= high.value else { return nil }
                    ranges.append(low.value...high.value)
                } else {
                    ranges.append(low.value...low.value)
                }
            }
            guard take("]"), !ranges.isEmpty else { return nil }
            return CharacterSet(ranges: ranges, negated: negated)
        }

        private mutating func classMember() -> Unicode.Scalar? {
            guard let scalar = next else { return nil }
            switch scalar {
            case "\\":
                index += 1
                return escapedPunctuation()
            case "[": return nil
            case "&" where index + 1 < scalars.count && scalars[index + 1] == "&": return nil // ICU's intersection
            case "-" where index + 1 < scalars.count && scalars[index + 1] == "-": return nil // ICU's difference
            default:
                index += 1
                return scalar
            }
        }

        /// A quantifier, `(1, 1)` when there is none; `nil` for a lazy or possessive one.
        mutating func quantifier() -> (Int, Int)? {
            let bounds: (Int, Int)
            switch next {
            case "?": index += 1; bounds = (0, 1)
            case "*": index += 1; bounds = (0, .max)
            case "+": index += 1; bounds = (1, .max)
            case "{":
                index += 1
                guard let minimum = number() else { return nil }
                if take("}") {
                    bounds = (minimum, minimum)
                } else {
                    guard take(",") else { return nil }
                    let maximum = number() ?? .max
                    guard take("}"), minimum <= maximum else { return nil }
                    bounds = (minimum, maximum)
                }
            default: return (1, 1)
            }
            return next == "?" || next == "+" ? nil : bounds
        }

        private mutating func number() -> Int? {
            var value = 0, digits = 0
            while let scalar = next, ("0"..."9").contains(scalar), digits < 6 {
                value = value * 10 + Int(scalar.value - 48)
                digits += 1
                index += 1
            }
            return digits > 0 ? value : nil
        }
    }
}
