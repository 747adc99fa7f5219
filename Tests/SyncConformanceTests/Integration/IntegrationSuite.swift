import Testing

/// Every test of this module that starts a server or a binary, one at a time: the machine is
/// shared with the server's own timing-sensitive suites, so the conformance runs add one
/// server's load at most.
@Suite(.serialized) struct ConformanceIntegration {}
