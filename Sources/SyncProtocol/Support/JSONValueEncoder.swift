/// Builds the `JSONValue` of an `Encodable` value directly: the value that encoding it to JSON
/// text and decoding the text again would give, up to how numbers are written (a `Double` stays
/// `.double` where text would read back a whole number as `.int`; both have the same canonical
/// form). The server fingerprints pushes with it, without a detour through JSON text.
package enum JSONValueEncoder {
    /// The value's JSON tree; throws when the value encodes nothing at all.
    package static func encode(_ value: some Encodable) throws -> JSONValue {
        let root = TreeNode()
        try value.encode(to: TreeEncoder(node: root, codingPath: []))
        guard let tree = root.tree else {
            throw EncodingError.invalidValue(value, EncodingError.Context(codingPath: [], debugDescription: "encoded no value"))
        }
        return tree
    }
}

/// One value under construction; containers write into it as they encode.
private final class TreeNode {
    enum Content {
        case unset
        case value(JSONValue)
        case object([String: TreeNode])
        case array([TreeNode])
    }

    var content = Content.unset

    var tree: JSONValue? {
        switch content {
        case .unset: nil
        case .value(let value): value
        case .object(let members): .object(members.compactMapValues(\.tree))
        case .array(let items): .array(items.map { $0.tree ?? .null })
        }
    }

    func child(_ key: String) -> TreeNode {
        var members: [String: TreeNode] = [:]
        if case .object(let existing) = content { members = existing }
        let node = TreeNode()
        members[key] = node
        content = .object(members)
        return node
    }

    func appended() -> TreeNode {
        var items: [TreeNode] = []
        if case .array(let existing) = content { items = existing }
        let node = TreeNode()
        items.append(node)
        content = .array(items)
        return node
    }

    func encode(_ value: some Encodable, codingPath: [any CodingKey]) throws {
        switch value {
        case let value as String: content = .value(.string(value))
        case let value as Bool: content = .value(.bool(value))
        case let value as Int64: content = .value(.int(value))
        case let value as Int: content = .value(.int(Int64(value)))
        case let value as Double: content = .value(.double(value))
        case let value as JSONValue: content = .value(value)
        case let value as any BinaryInteger:
            // Every other integer: exactly as text would read it back.
            content = .value(Int64(exactly: value).map(JSONValue.int) ?? .double(Double(value)))
        case let value as Float: content = .value(.double(Double(value)))
        default: try value.encode(to: TreeEncoder(node: self, codingPath: codingPath))
        }
    }
}

private struct TreeEncoder: Encoder {
    let node: TreeNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object = node.content {} else { node.content = .object([:]) }
        return KeyedEncodingContainer(KeyedTree(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array = node.content {} else { node.content = .array([]) }
        return UnkeyedTree(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleTree(node: node, codingPath: codingPath)
    }
}

private struct KeyedTree<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: TreeNode
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { node.child(key.stringValue).content = .value(.null) }
    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
        try node.child(key.stringValue).encode(value, codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        TreeEncoder(node: node.child(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        TreeEncoder(node: node.child(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { TreeEncoder(node: node.child("super"), codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { TreeEncoder(node: node.child(key.stringValue), codingPath: codingPath + [key]) }
}

private struct UnkeyedTree: UnkeyedEncodingContainer {
    let node: TreeNode
    let codingPath: [any CodingKey]
    var count: Int {
        if case .array(let items) = node.content { items.count } else { 0 }
    }

    mutating func encodeNil() throws { node.appended().content = .value(.null) }
    mutating func encode(_ value: some Encodable) throws { try node.appended().encode(value, codingPath: codingPath) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        TreeEncoder(node: node.appended(), codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        TreeEncoder(node: node.appended(), codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { TreeEncoder(node: node.appended(), codingPath: codingPath) }
}

private struct SingleTree: SingleValueEncodingContainer {
    let node: TreeNode
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.content = .value(.null) }
    mutating func encode(_ value: some Encodable) throws { try node.encode(value, codingPath: codingPath) }
}
