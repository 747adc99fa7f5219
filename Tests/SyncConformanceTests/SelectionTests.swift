import Testing
@testable import SyncConformance

/// Filters, skips and profiles.
@Suite struct SelectionTests {
    private func vector(_ id: String, category: String = "push", requirements: [String] = ["RES-1"]) throws -> Vector {
        let text = """
            id: \(id)
            title: t
            requirements: [\(requirements.joined(separator: ", "))]
            level: MUST
            category: \(category)
            steps: [{sleep: {ms: 1}}]
            """
        return try #require(VectorLoader.load(text: text, file: "\(id).yaml").0)
    }

    @Test func globsMatchIds() {
        #expect(Selection.glob("push.*", "push.create"))
        #expect(Selection.glob("*.create", "push.create"))
        #expect(Selection.glob("p?sh.*e", "push.create"))
        #expect(!Selection.glob("push", "push.create"))
        #expect(!Selection.glob("pull.*", "push.create"))
    }

    @Test func filtersBySomeFormAndSkipsByAny() throws {
        let push = try vector("push.create", requirements: ["RES-1", "IDEM-4"])
        #expect(Selection().exclusion(of: push) == nil)
        #expect(Selection(filters: ["push.*"]).exclusion(of: push) == nil)
        #expect(Selection(filters: ["push"]).exclusion(of: push) == nil)
        #expect(Selection(filters: ["IDEM-4"]).exclusion(of: push) == nil)
        #expect(Selection(filters: ["IDEM-*"]).exclusion(of: push) == nil)
        #expect(Selection(filters: ["auth"]).exclusion(of: push) != nil)
        #expect(Selection(skips: ["RES-1"]).exclusion(of: push) != nil)
        #expect(Selection(filters: ["push"], skips: ["push.create"]).exclusion(of: push) != nil)
    }

    @Test func profilesParseAndRejectUnknownFeatures() throws {
        let profile = try Profile.parse("""
            name: Mine
            features: [http-sync, uploads]
            known_failing:
              - {id: push.create, reason: not yet}
            flaky: [auth.x]
            """, file: "p.yaml")
        #expect(profile == Profile(name: "Mine", features: ["http-sync", "uploads"], knownFailing: ["push.create": "not yet"], flaky: ["auth.x"]))
        #expect(throws: ProfileError.self) { try Profile.parse("features: [teleport]", file: "p.yaml") }
        #expect(throws: ProfileError.self) { try Profile.parse("known_failing: [{id: x}]", file: "p.yaml") }
        #expect(throws: ProfileError.self) { try Profile.parse("colour: red", file: "p.yaml") }
    }

    @Test func supportedFeaturesDependOnTheTokenSource() throws {
        let target = try #require(TargetServer(url: "http://127.0.0.1:1"))
        let signing = RunOptions(target: target, tokens: .hs256(secret: [1]), features: ["token-forging", "uploads"])
        #expect(signing.supportedFeatures == ["test-control", "uploads", "token-forging"])
        let command = RunOptions(target: target, tokens: .command("true"), features: ["token-forging"],
                                 profile: Profile(features: ["http-sync"]))
        #expect(command.supportedFeatures == ["test-control", "http-sync"])
    }
}
