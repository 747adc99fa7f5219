import Foundation
import Testing
@testable import fault_injection_server

/// Every fault names requirements the spec has, and the fault README's table lists each fault
/// with exactly those requirements.
@Suite("fault-injection-server: fault catalog")
struct FaultCatalogTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test("every fault violates requirements of Spec/requirements.yaml")
    func requirementsExist() throws {
        let spec = try String(contentsOf: Self.root.appendingPathComponent("Spec/requirements.yaml"), encoding: .utf8)
        for fault in Fault.allCases where fault != .none {
            #expect(!fault.requirements.isEmpty, "\(fault.rawValue) names no requirement")
            for id in fault.requirements {
                #expect(spec.contains("- id: \(id)\n"), "\(fault.rawValue): no requirement \(id) in the spec")
            }
        }
        #expect(Fault.allCases.count >= 31, "at least 30 faults besides none")
    }

    @Test("the README's table lists every fault with its requirements")
    func readmeTable() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("Tests/FaultInjectionServer/README.md"), encoding: .utf8)
        // Each row's cells: the fault in backticks, then its requirements.
        let rows = readme.split(separator: "\n").filter { $0.hasPrefix("| `") && !$0.hasPrefix("| `--fault`") }
            .map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } }
        for fault in Fault.allCases where fault != .none {
            let row = rows.first { $0.first == "`\(fault.rawValue)`" }
            #expect(row?.dropFirst().first == fault.requirements.joined(separator: ", "), "\(fault.rawValue): README row")
        }
        #expect(rows.count == Fault.allCases.count, "one row per fault, none included")
    }
}
