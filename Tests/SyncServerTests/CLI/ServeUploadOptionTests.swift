import SyncServer
import Testing
@testable import sync_server

/// The upload settings of `sync-server serve`.
@Suite("sync-server serve: upload settings")
struct ServeUploadOptionTests {
    @Test("defaults: the spec's expiry, a cleanup every 5 minutes, no quota")
    func defaults() throws {
        let uploads = try serveConfiguration([], environment: secretEnvironment).uploads
        #expect(uploads == ServerConfiguration.Uploads(expirySeconds: 86_400, cleanupIntervalSeconds: 300, storageQuotaBytes: 0))
        #expect(uploads.uploadConfiguration.quotaBytes == nil)
    }

    @Test("variables set them and flags beat variables")
    func sources() throws {
        let environment = secretEnvironment.merging([
            "SYNC_UPLOAD_EXPIRY": "172800", "SYNC_UPLOAD_CLEANUP_INTERVAL": "60", "SYNC_STORAGE_QUOTA": "1000000",
        ]) { $1 }
        let fromEnvironment = try serveConfiguration([], environment: environment).uploads
        #expect(fromEnvironment == ServerConfiguration.Uploads(expirySeconds: 172_800, cleanupIntervalSeconds: 60, storageQuotaBytes: 1_000_000))
        #expect(fromEnvironment.uploadConfiguration.quotaBytes == 1_000_000)
        let fromFlags = try serveConfiguration(["--upload-expiry", "90000", "--upload-cleanup-interval", "1", "--storage-quota", "0"],
                                               environment: environment).uploads
        #expect(fromFlags == ServerConfiguration.Uploads(expirySeconds: 90_000, cleanupIntervalSeconds: 1, storageQuotaBytes: 0))
    }

    @Test("values outside the accepted ranges are refused with a reason", arguments: [
        (["--upload-expiry", "3600"], "LIM-3"), (["--upload-expiry", "99999999"], "2592000"),
        (["--upload-cleanup-interval", "0"], "UPL-10"), (["--upload-cleanup-interval", "7200"], "UPL-10"),
        (["--storage-quota=-1"], "storage quota"),
    ])
    func refusals(arguments: [String], reason: String) throws {
        let refusal = try #require(serveRefusal(arguments, environment: secretEnvironment))
        #expect(refusal.message.contains(reason), "\(refusal.message)")
    }
}
