/// Where a command reads a spec from: a folder, or a folder as it was at a git revision
/// (`sync-spec diff git:HEAD Spec` compares the committed spec with the working copy).
package enum SpecSource: Sendable, Hashable, CustomStringConvertible {
    /// A folder of `*.yaml` files.
    case directory(String)
    /// The folder `folder` (relative to the repository root) at the revision `ref`.
    case git(ref: String, folder: String)

    /// Runs `git` with these arguments and returns its standard output; throws when git fails.
    package typealias GitRunner = ([String]) throws -> String

    /// Parses a command-line argument: `git:REF` (the `Spec` folder at REF), `git:REF:FOLDER`,
    /// or a folder path.
    package init(argument: String) {
        guard argument.hasPrefix("git:") else {
            self = .directory(argument)
            return
        }
        // Git refs cannot contain ':', so the first one after the prefix ends the ref.
        let rest = argument.dropFirst(4)
        if let colon = rest.firstIndex(of: ":") {
            let folder = rest[rest.index(after: colon)...].trimmingSlashes
            self = .git(ref: String(rest[..<colon]), folder: folder.isEmpty ? "." : folder)
        } else {
            self = .git(ref: String(rest), folder: "Spec")
        }
    }

    /// The argument form, for messages.
    package var description: String {
        switch self {
        case .directory(let path): path
        case .git(let ref, let folder): "git:\(ref):\(folder)"
        }
    }

    /// Loads the spec; a source that cannot be read gives one diagnostic and no spec.
    package func load(git: GitRunner) -> LoadResult {
        switch self {
        case .directory(let path):
            return SpecLoader.load(directory: path)
        case .git(let ref, let folder):
            do {
                let files = try gitFiles(ref: ref, folder: folder, git: git)
                if files.isEmpty {
                    return LoadResult(spec: nil, diagnostics: [Diagnostic(at: nil, "no *.yaml files in \(self)")])
                }
                return SpecLoader.load(files: files)
            } catch {
                return LoadResult(spec: nil, diagnostics: [Diagnostic(at: nil, "cannot read \(self): \(error)")])
            }
        }
    }

    /// The `*.yaml` files directly in the folder's tree at `ref`, in name order; their paths
    /// read `REF:FOLDER/NAME` in diagnostics.
    private func gitFiles(ref: String, folder: String, git: GitRunner) throws -> [SpecFile] {
        let tree = folder == "." ? "\(ref):" : "\(ref):\(folder)"
        // -z: entries end with NUL and names are not quoted; each is "MODE TYPE OBJECT\tNAME".
        let listing = try git(["ls-tree", "-z", "--full-tree", tree])
        var files: [SpecFile] = []
        for entry in listing.split(separator: "\0") {
            let parts = entry.split(separator: "\t", maxSplits: 1)
            let meta = parts.first?.split(separator: " ") ?? []
            guard parts.count == 2, meta.count == 3, meta[1] == "blob" else { continue }
            let name = String(parts[1])
            guard name.hasSuffix(".yaml") || name.hasSuffix(".yml") else { continue }
            let contents = try git(["cat-file", "blob", String(meta[2])])
            files.append(SpecFile(path: folder == "." ? "\(ref):\(name)" : "\(tree)/\(name)", contents: contents))
        }
        return files.sorted { $0.path < $1.path }
    }
}

private extension Substring {
    var trimmingSlashes: String {
        var text = self
        while text.hasSuffix("/") { text = text.dropLast() }
        while text.hasPrefix("/") { text = text.dropFirst() }
        return String(text)
    }
}
