import _NIOFileSystem

/// Why bytes were not stored: the request's fault (length, digest) or the disk's (full).
package struct UploadDiskError: Error, Sendable, Hashable {
    /// The kind of failure.
    package enum Code: Sendable, Hashable {
        /// The body was longer or shorter than the chunk must be.
        case lengthMismatch
        /// The SHA-256 of the bytes differs from the expected one.
        case digestMismatch
        /// The disk (or the user's disk quota) is full: ENOSPC or EDQUOT.
        case storageFull
        /// A stored file is shorter than its metadata says (damaged storage).
        case truncated
    }

    /// The kind of failure.
    package var code: Code

    /// Creates an error.
    package init(_ code: Code) {
        self.code = code
    }

    /// Runs `body`, turning a full disk into `.storageFull`; other errors pass unchanged.
    static func mapping<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as FileSystemError where isDiskFull(error) {
            throw UploadDiskError(.storageFull)
        }
    }

    /// Whether the failure, or one of its causes, is ENOSPC or EDQUOT.
    static func isDiskFull(_ error: any Error) -> Bool {
        var current: (any Error)? = error
        while let error = current {
            if let call = error as? FileSystemError.SystemCallError {
                return call.errno == .noSpace || call.errno == .diskQuotaExceeded
            }
            current = (error as? FileSystemError)?.cause
        }
        return false
    }
}
