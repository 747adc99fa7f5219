import Foundation

/// The issues a lenient decode found, shared by the decoder and every container it hands out.
final class LenientDecodingLog {
    /// In the order found; recording stops one past `WireIssue.reportLimit` (ERR-9), enough to
    /// know the list must be cut.
    private(set) var issues: [WireIssue] = []

    /// Records an issue unless the log is full.
    func record(_ issue: WireIssue) {
        if issues.count <= WireIssue.reportLimit { issues.append(issue) }
    }
}

/// A `Decoder` over a `JSONTree` that never stops at a value that does not fit: it records an issue
/// with the value's path and substitutes a placeholder (zero, empty, `false`, an enum's first case,
/// a struct decoded from nothing), so one pass finds every decoding failure of a frame. Issues are
/// not recorded under a value that already has one (`recording` is off for placeholders).
///
/// `WireCodec` uses it only after the strict `JSONDecoder` failed, to explain the failure.
struct LenientDecoder: Decoder {
    /// The value to decode; `nil` while building a placeholder for a value that is not there.
    let node: JSONTree?
    let codingPath: [any CodingKey]
    /// The same path as `WirePath` renders it in issues.
    let path: WirePath
    let log: LenientDecodingLog
    /// Whether issues found here are kept.
    let recording: Bool

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// A decoder for the root of a frame.
    init(root: JSONTree, log: LenientDecodingLog) {
        self.init(node: root, codingPath: [], path: WirePath(), log: log, recording: true)
    }

    private init(node: JSONTree?, codingPath: [any CodingKey], path: WirePath, log: LenientDecodingLog, recording: Bool) {
        self.node = node
        self.codingPath = codingPath
        self.path = path
        self.log = log
        self.recording = recording
    }

    /// The decoder of a member; `node` is `nil` for an absent one, which only `placeholder` may decode.
    func child(_ key: any CodingKey, node: JSONTree?) -> LenientDecoder {
        LenientDecoder(node: node, codingPath: codingPath + [key], path: path.appending(key.stringValue), log: log,
                       recording: recording)
    }

    /// The decoder of an array element.
    func child(index: Int, node: JSONTree) -> LenientDecoder {
        LenientDecoder(node: node, codingPath: codingPath + [LenientKey(index: index)], path: path.appending(index: index),
                       log: log, recording: recording)
    }

    /// This decoder, with nothing below it recorded: for a placeholder after an issue here.
    var silenced: LenientDecoder {
        LenientDecoder(node: nil, codingPath: codingPath, path: path, log: log, recording: false)
    }

    /// Records an issue at this decoder's path, unless it is building a placeholder.
    func report(_ message: String) {
        if recording { log.record(WireIssue(path: path.description, message: message)) }
    }

    /// Reports that the value is not what was expected: `null`, or of another kind.
    func mismatch(_ expected: String) {
        report(node?.isNull == true ? "must not be null" : expected)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedDecodingContainer<Key> {
        guard case .object(let members)? = node?.kind else {
            mismatch("must be an object")
            return KeyedDecodingContainer(LenientKeyedContainer(decoder: silenced, members: []))
        }
        return KeyedDecodingContainer(LenientKeyedContainer(decoder: self, members: members))
    }

    func unkeyedContainer() -> any UnkeyedDecodingContainer {
        guard case .array(let elements)? = node?.kind else {
            mismatch("must be an array")
            return LenientUnkeyedContainer(decoder: silenced, elements: [])
        }
        return LenientUnkeyedContainer(decoder: self, elements: elements)
    }

    func singleValueContainer() -> any SingleValueDecodingContainer {
        LenientSingleValueContainer(decoder: self)
    }

    /// The value as `type`, or a placeholder after recording why it does not fit. Throws only what
    /// a type's own `init(from:)` throws beyond that (such as a message whose `type` is another's).
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if let value = scalar(type) { return value }
        return try T(from: self)
    }

    /// A placeholder for a required value that is absent or `null`, after reporting it.
    func placeholder<T: Decodable>(_ type: T.Type, because message: String) throws -> T {
        report(message)
        return try silenced.decode(type)
    }
}

/// A coding key for object members and array elements the decoder's own containers name.
struct LenientKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init(intValue: Int) {
        self.init(index: intValue)
    }

    /// The key of the array element at `index`.
    init(index: Int) {
        stringValue = "Index \(index)"
        intValue = index
    }
}
