/// Which side puts a piece of data on the wire.
struct Flow: OptionSet, Hashable {
    let rawValue: Int

    /// A client sends it: the server decodes it.
    static let fromClient = Flow(rawValue: 1)
    /// The server sends it: clients decode it.
    static let fromServer = Flow(rawValue: 2)
    static let both: Flow = [.fromClient, .fromServer]

    init(rawValue: Int) {
        self.rawValue = rawValue
    }

    init(_ direction: MessageDirection) {
        switch direction {
        case .client: self = .fromClient
        case .server: self = .fromServer
        case .both: self = .both
        }
    }
}

/// Who sends each schema and enum, found by walking types from the messages (with their
/// direction) and the REST requests (client) and responses (server) through schema fields.
struct TypeUsage {
    private var flows: [String: Flow] = [:]

    init(_ spec: ProtocolSpec) {
        var roots: [(TypeRef, Flow)] = []
        for message in spec.messages {
            roots += message.fields.map { ($0.type, Flow(message.direction)) }
        }
        for endpoint in spec.endpoints {
            let parameters = endpoint.pathParams + endpoint.query + endpoint.headers
            roots += parameters.map { ($0.type, .fromClient) }
            if let schema = endpoint.request?.schema { roots.append((schema, .fromClient)) }
            for response in endpoint.responses {
                if let schema = response.body?.schema { roots.append((schema, .fromServer)) }
                roots += response.headers.map { ($0.type, .fromServer) }
            }
            // REST errors are `Problem` bodies (Spec/README.md, errors).
            if !endpoint.errors.isEmpty { roots.append((.named("Problem"), .fromServer)) }
        }
        var work = roots
        while let (type, flow) = work.popLast() {
            for name in type.referencedNames where !flows[name, default: []].isSuperset(of: flow) {
                flows[name, default: []].formUnion(flow)
                work += spec.schema(named: name)?.fields.map { ($0.type, flow) } ?? []
            }
        }
    }

    /// Who sends the schema or enum `name`. A type nothing on the wire uses counts as sent by
    /// both sides, so that changes to it are judged at their worst.
    func flow(of name: String) -> Flow {
        let flow = flows[name, default: []]
        return flow.isEmpty ? .both : flow
    }
}
