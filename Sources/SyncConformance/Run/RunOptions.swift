public import SyncSpec

/// Everything a run needs besides the vectors.
public struct RunOptions: Sendable {
    /// The server under test (`nil` in a client run).
    public var target: TargetServer?
    /// The client under test: a harness command (`Conformance/harness.md`); `nil` in a server run.
    public var client: String?
    /// Other nodes of it by name (`--node NAME=URL`), for vectors that declare `nodes`.
    public var nodes: [String: TargetServer] = [:]
    /// Where tokens come from.
    public var tokens: TokenSource
    /// Supported optional features (`test-control` is always assumed).
    public var features: [String]
    /// The implementation profile, when one was given (its features are added to `features`).
    public var profile: Profile?
    /// Which vectors to consider.
    public var selection: Selection
    /// How many vectors run at once.
    public var parallel: Int
    /// The spec, for requirement coverage and the spec version.
    public var spec: ProtocolSpec?
    /// Receives one line (or block) of live progress per vector.
    public var progress: @Sendable (String) -> Void

    /// Creates options.
    public init(target: TargetServer, tokens: TokenSource, features: [String] = [], profile: Profile? = nil, selection: Selection = Selection(),
                parallel: Int = 4, spec: ProtocolSpec? = nil, progress: @escaping @Sendable (String) -> Void = { _ in }) {
        self.target = target
        self.tokens = tokens
        self.features = features
        self.profile = profile
        self.selection = selection
        self.parallel = parallel
        self.spec = spec
        self.progress = progress
    }

    /// Options for a client run: the runner plays the server for `client`, a harness command.
    public init(client: String, profile: Profile? = nil, selection: Selection = Selection(), parallel: Int = 2, spec: ProtocolSpec? = nil,
                progress: @escaping @Sendable (String) -> Void = { _ in }) {
        self.client = client
        tokens = .command("true")
        features = []
        self.profile = profile
        self.selection = selection
        self.parallel = parallel
        self.spec = spec
        self.progress = progress
    }

    /// The features treated as supported: given ones, the profile's, `test-control`; without
    /// runner-signed tokens `token-forging` is impossible.
    public var supportedFeatures: [String] {
        var result = Set(features + (profile?.features ?? []) + ["test-control"])
        if !tokens.canForge { result.remove("token-forging") }
        return VectorFormat.features.filter { result.contains($0) }
    }
}

extension Vector {
    /// The features the vector needs: those it declares plus those its content implies
    /// (`clock` → `clock-control`, forged tokens or extra claims → `token-forging`).
    public var neededFeatures: [String] {
        var needed = Set(features.map(\.value))
        if setup.contains(where: { $0.clock != nil }) || Self.usesClock(steps) { needed.insert("clock-control") }
        if actors.contains(where: { $0.forge != nil || $0.claims != nil || $0.notBeforeInS != nil }) { needed.insert("token-forging") }
        return VectorFormat.features.filter { needed.contains($0) } + needed.filter { !VectorFormat.features.contains($0) }.sorted()
    }

    static func usesClock(_ steps: [Step]) -> Bool {
        steps.contains { step in
            switch step.action {
            case .clock: true
            case .parallel(let branches): branches.contains(where: usesClock)
            default: false
            }
        }
    }
}
