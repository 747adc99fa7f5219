/// How `sync-spec diff` prints its report.
package enum DiffFormat: String, Sendable, CaseIterable {
    /// Grouped for people.
    case text
    /// One JSON object for tools.
    case json
}

/// What `sync-spec diff` prints and how it exits. The command only parses its arguments and
/// writes this out, so the whole behaviour is tested here.
package struct DiffOutcome: Sendable {
    /// For standard output: the report.
    package var output: String
    /// For standard error: spec problems.
    package var errors: String
    /// 0: nothing breaks, or the major version went up. 1: breaking changes within the same
    /// major version. 2: a spec could not be read or is invalid.
    package var exitCode: Int32
}

/// `sync-spec diff OLD NEW`.
package enum DiffRun {
    /// The exit code for a spec that cannot be read or has errors.
    package static let badInput: Int32 = 2

    /// Loads both specs (reading `git:` sources with `git`), compares them and renders the report.
    package static func run(old: SpecSource, new: SpecSource, format: DiffFormat, git: SpecSource.GitRunner) -> DiffOutcome {
        let results = [old.load(git: git), new.load(git: git)]
        let problems = results.flatMap(\.diagnostics)
        let errors = problems.map { "\($0)\n" }.joined()
        guard let oldSpec = results[0].spec, let newSpec = results[1].spec,
              !problems.contains(where: { $0.severity == .error })
        else {
            return DiffOutcome(output: "", errors: errors + "sync-spec diff: fix the errors above; nothing was compared.\n",
                               exitCode: badInput)
        }
        let diff = SpecDiffer.diff(old: oldSpec, new: newSpec)
        let report = switch format {
        case .text: "Comparing \(old) (old) with \(new) (new)\n" + diff.renderedText
        case .json: diff.renderedJSON
        }
        return DiffOutcome(output: report, errors: errors, exitCode: diff.requiresMajorBump ? 1 : 0)
    }
}
