import Foundation
import SyncSpec
import Testing
@testable import SyncConformance

/// Loading vectors: the model, and diagnostics with file:line:column for seeded errors.
@Suite struct LoaderTests {
    static let valid = """
        id: push.sample
        title: A sample
        requirements: [RES-1]
        level: MUST
        category: push
        features: [http-sync]
        actors:
          a: {user: alice, device: phone-a}
          x: {tenant: other, user: eve, roles: [operator], expires_in_s: -5}
        blobs:
          photo: {size: 10, seed: 7}
        steps:
          - ws_connect: a
          - send: {conn: a, json: {type: ping, nonce: "n-${a.user}"}}
          - expect: {conn: a, json: {type: pong}, match: exact, within_ms: 100}
          - http: {actor: a, method: put, path: /v1/x, body: {blob: photo, offset: 2}}
            expect: {status: 200}
          - parallel:
              - [{sleep: {ms: 1}}]
              - [{expect_silence: {conn: a, for_ms: 5}}]
        """

    @Test func loadsTheModel() throws {
        let (vector, diagnostics) = VectorLoader.load(text: Self.valid, file: "Vectors/push/push.sample.yaml")
        #expect(diagnostics.isEmpty)
        let loaded = try #require(vector)
        #expect(loaded.id == "push.sample")
        #expect(loaded.requirements.map(\.value) == ["RES-1"])
        #expect(loaded.tenants == ["main", "other"])
        #expect(loaded.actor("x")?.roles == ["operator"])
        #expect(loaded.actor("x")?.expiresInS == -5)
        #expect(loaded.steps.map(\.kind) == ["ws_connect", "send", "expect", "http", "parallel"])
        #expect(loaded.steps[1].captureUses.map(\.value) == ["a.user"])
        #expect(loaded.steps[1].captureUses.first?.location.line == 14)
        guard case .http(let http) = loaded.steps[3].action else { Issue.record("not http"); return }
        #expect(http.method == "PUT")
        #expect(http.expect?.status == .int(200))
        guard case .send(let send) = loaded.steps[1].action, case .json(let json) = send.payload else { Issue.record("not json"); return }
        #expect(json.compact == #"{"type":"ping","nonce":"n-${a.user}"}"#)
    }

    @Test func structuralErrorsCarryTheirPlace() {
        let text = """
            id: push.sample
            title: A sample
            requirements: [RES-1]
            level: MUST
            category: push
            steps:
              - ws_connect: {actor: a, auth: cookie}
              - send: {conn: a}
              - teleport: {to: mars}
              - expect: {conn: a, json: {n: {$between: [1, 2]}, m: {$type: integer}}}
            colour: blue
            """
        let (vector, diagnostics) = VectorLoader.load(text: text, file: "v.yaml")
        #expect(vector == nil)
        let rendered = diagnostics.map(\.description)
        #expect(rendered.contains("v.yaml:7:34: error: auth must be query, header, both or none"))
        #expect(rendered.contains("v.yaml:8:11: error: 'send' needs exactly one of json, text, binary_base64, text_base64, text_generate"))
        #expect(rendered.contains { $0.hasPrefix("v.yaml:9:5: error: a step needs one of") })
        #expect(rendered.contains { $0.hasPrefix("v.yaml:10:34: error: unknown matcher '$between' (known: $any,") })
        #expect(rendered.contains("v.yaml:10:64: error: $type must be one of string, int, number, bool, object, array, null"))
        #expect(rendered.contains("v.yaml:11:1: error: unknown key 'colour' in a vector"))
    }

    @Test func invalidYAMLIsReportedWithItsPlace() {
        let (vector, diagnostics) = VectorLoader.load(text: "id: [unclosed\ntitle: x\n", file: "bad.yaml")
        #expect(vector == nil)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.location?.file == "bad.yaml")
        #expect(diagnostics.first?.message.hasPrefix("invalid YAML") == true)
    }

    @Test func semanticErrorsCarryTheirPlace() throws {
        let text = """
            id: push.other
            title: Semantics
            requirements: [RES-1, NOPE-9]
            level: MUST
            category: pull
            actors:
              a: {user: alice, device: d, token: {alg: none}}
            steps:
              - ws_connect: b
              - send: {conn: c, json: {x: "${later}"}}
              - expect: {conn: a, json: {x: {$capture: later}}}
              - http: {actor: a, path: "/v1/${blob.nope.sha256}"}
            """
        let (vector, loadProblems) = VectorLoader.load(text: text, file: "Vectors/push/push.sample.yaml")
        #expect(loadProblems.isEmpty)
        let spec = SpecLoader.load(directory: "Spec").spec
        let rendered = VectorLinter.lint([try #require(vector)], spec: spec).map(\.description)
        let file = "Vectors/push/push.sample.yaml"
        #expect(rendered.contains("\(file):1:1: error: id 'push.other' must equal the file name 'push.sample'"))
        #expect(rendered.contains("\(file):1:1: error: a vector of category 'pull' belongs in Vectors/pull/, not push/"))
        #expect(rendered.contains("\(file):3:23: error: unknown requirement 'NOPE-9' (not in the spec)"))
        #expect(rendered.contains { $0.hasPrefix("\(file):1:1: error: the vector needs feature 'token-forging'") })
        #expect(rendered.contains("\(file):9:5: error: unknown actor 'b' in ws_connect"))
        #expect(rendered.contains("\(file):10:5: error: no earlier ws_connect opens connection 'c'"))
        #expect(rendered.contains("\(file):10:31: error: ${later} uses 'later' before any step captures it (and it is no actor or built-in)"))
        #expect(rendered.contains("\(file):12:28: error: unknown blob 'nope' in ${blob.nope.sha256}"))
        #expect(rendered.contains("\(file):11:5: error: no earlier ws_connect opens connection 'a'"))
    }

    @Test func duplicateIdsAreReported() throws {
        let (first, _) = VectorLoader.load(text: Self.valid, file: "Vectors/push/push.sample.yaml")
        let (second, _) = VectorLoader.load(text: Self.valid, file: "Other/push/push.sample.yaml")
        let rendered = VectorLinter.lint([try #require(first), try #require(second)], spec: nil).map(\.description)
        #expect(rendered.contains("Other/push/push.sample.yaml:1:1: error: duplicate vector id 'push.sample' (also in Vectors/push/push.sample.yaml)"))
    }

    @Test func schemaViolationsCarryTheirPlace() throws {
        let schema = try SchemaCheck.load(path: "Conformance/vector.schema.json")
        let text = """
            id: Push.Sample
            title: A sample
            requirements: []
            level: SHALL
            category: push
            steps:
              - expect: {conn: a, json: {}, wtihin_ms: 5}
            """
        let rendered = schema.check(text: text, file: "s.yaml").map(\.description)
        #expect(rendered.contains("s.yaml:1:5: error: schema: id 'Push.Sample' must match ^[a-z0-9]+(?:[.-][a-z0-9]+)*$"))
        #expect(rendered.contains("s.yaml:3:15: error: schema: requirements must have at least 1 item(s)"))
        #expect(rendered.contains { $0.hasPrefix("s.yaml:4:8: error: schema: level must be one of") })
        #expect(rendered.contains("s.yaml:7:33: error: schema: steps[0].expect.wtihin_ms unknown key 'wtihin_ms'"))
        #expect(schema.check(text: Self.valid, file: "ok.yaml").isEmpty)
    }

    @Test func theCommittedVectorsAreClean() throws {
        let suite = try VectorSuite.load(vectors: "Vectors", spec: "Spec", schema: "Conformance/vector.schema.json")
        #expect(suite.diagnostics.map(\.description) == [])
        #expect(suite.vectors.count >= 15)
        let loaded = try VectorLoader.load(directory: "Vectors")
        #expect(loaded.vectors.map(\.id) == suite.vectors.map(\.id))
    }
}
