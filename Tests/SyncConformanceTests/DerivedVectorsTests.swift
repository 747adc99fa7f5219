import Foundation
import SyncSpec
import Testing
@testable import SyncConformance

/// The boundary vectors derived from the spec: committed and current, valid vectors, and
/// following the spec's values when they change.
@Suite struct DerivedVectorsTests {
    static let spec = SpecLoader.load(directory: "Spec").spec

    @Test func committedVectorsMatchTheSpec() throws {
        let spec = try #require(Self.spec)
        let drift = DerivedVectorFolder(path: "Vectors/derived").drift(from: BoundaryDeriver.derive(spec).vectors)
        #expect(drift.isEmpty, "run 'swift run sync-conformance derive' and commit: \(drift.prefix(5))")
    }

    @Test func everyDerivedVectorLoadsWithoutProblems() throws {
        let spec = try #require(Self.spec)
        let vectors = BoundaryDeriver.derive(spec).vectors
        #expect(vectors.count >= 40)
        #expect(Set(vectors.map(\.id)).count == vectors.count, "ids are unique")
        for vector in vectors {
            let (loaded, problems) = VectorLoader.load(text: vector.text, file: "Vectors/derived/limits/\(vector.id).yaml")
            #expect(problems.isEmpty && loaded?.id == vector.id, "\(vector.id): \(problems)")
        }
    }

    /// Both transports of a push get the batch limit, at it and one over, with LIM-2's code.
    @Test func limitsOnEveryTransportWithTheirCodes() throws {
        let spec = try #require(Self.spec)
        let byId = Dictionary(uniqueKeysWithValues: BoundaryDeriver.derive(spec).vectors.map { ($0.id, $0.text) })
        let limit = try #require(spec.limit(named: "max_mutations_per_push")?.value)
        for transport in ["ws", "rest"] {
            let at = try #require(byId["limits.derived-push-\(transport)-mutations-max-items-at"])
            let over = try #require(byId["limits.derived-push-\(transport)-mutations-max-items-over"])
            #expect(at.contains("\"record_id\":\"n\(limit)\"") && !at.contains("\"record_id\":\"n\(limit + 1)\""))
            #expect(over.contains("\"record_id\":\"n\(limit + 1)\"") && over.contains("batch_too_large"))
        }
        #expect(byId["limits.derived-push-ws-mutations-fields-max-bytes-over"]?.contains("record_too_large") == true)
        #expect(byId["limits.derived-pull-rest-limit-maximum-over"]?.contains("path: \"/v1/sync/pull?limit=\(try #require(spec.limit(named: "max_pull_page")?.value) + 1)\"") == true)
    }

    /// A spec with another limit value derives other vectors: nothing is hard-coded.
    @Test func aChangedLimitChangesTheVectors() throws {
        var spec = try #require(Self.spec)
        let index = try #require(spec.limits.firstIndex { $0.name == "max_record_id_length" })
        spec.limits[index].value = 40
        let byId = Dictionary(uniqueKeysWithValues: BoundaryDeriver.derive(spec).vectors.map { ($0.id, $0.text) })
        let at = try #require(byId["limits.derived-push-ws-mutations-record-id-max-length-at"])
        #expect(at.contains("\"record_id\":\"\(String(repeating: "a", count: 40))\""))
        #expect(byId["limits.derived-push-ws-mutations-record-id-max-length-over"]?.contains(String(repeating: "a", count: 41)) == true)
    }

    @Test func fieldsThatCannotBeIsolatedAreNamedWithAReason() throws {
        let spec = try #require(Self.spec)
        let skipped = BoundaryDeriver.derive(spec).skipped
        #expect(skipped.contains { $0.0 == "pull over WebSocket cursor" && $0.1.contains("never issued") })
        #expect(skipped.contains { $0.0 == "initUpload size" })
    }
}
