import Testing

/// Every upload suite that starts `sync-server` processes, run one test at a time: they move
/// many bytes, and run all at once they starve the timing-sensitive suites (heartbeats, token
/// expiry) that the test run schedules beside them.
@Suite("uploads over HTTP", .serialized)
struct UploadIntegrationTests {}
