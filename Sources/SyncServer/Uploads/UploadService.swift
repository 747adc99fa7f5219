public import NIOCore
public import SyncProtocol

/// The upload operations of the spec (`initUpload` ... `downloadFile`), as the transport calls
/// them. Every refusal is a `ServiceError` with the spec's code.
public protocol UploadService: Sendable {
    /// Creates a session for the principal's device (UPL-1, UPL-2).
    func initUpload(_ principal: Principal, _ request: UploadInit) async throws(ServiceError) -> UploadSession

    /// Stores chunk `index`, streamed from `body`, when its bytes have the expected length and the
    /// SHA-256 `digest` (UPL-3..5). `declaredLength` (Content-Length) lets a wrong length be
    /// refused before the body is read.
    func uploadChunk<Body: AsyncSequence & Sendable>(_ principal: Principal, uploadId: String, index: Int64, digest: [UInt8],
                                                     declaredLength: Int64?, body: Body) async throws(ServiceError) -> ChunkReceipt
    where Body.Element == ByteBuffer

    /// The session's progress (UPL-6).
    func uploadStatus(_ principal: Principal, uploadId: String) async throws(ServiceError) -> UploadSession

    /// Verifies and stores the file (UPL-7, UPL-8).
    func finalizeUpload(_ principal: Principal, uploadId: String) async throws(ServiceError) -> UploadedFile

    /// Cancels an open session and deletes its chunks (UPL-10).
    func cancelUpload(_ principal: Principal, uploadId: String) async throws(ServiceError)

    /// A finalized file of the principal's tenant (UPL-12).
    func file(_ principal: Principal, fileId: String) async throws(ServiceError) -> UploadedFile

    /// Hands the bytes `range` of a file found by `file(_:fileId:)` to `body`, in pieces.
    func readFile(_ file: UploadedFile, range: ClosedRange<Int64>, _ body: (ByteBuffer) async throws -> Void) async throws

    /// Deletes every session, chunk and file of the tenant, bytes included (TEST-3).
    func resetTenant(_ tenant: String) async throws(ServiceError)
}
