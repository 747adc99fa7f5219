public import Foundation

/// Everything one `sync-conformance run` found out: what ran against which target, each
/// vector's verdict with its wire log, and coverage per spec requirement. It is the JSON
/// report as written (snake_case keys), and the input of the JUnit and HTML reports.
public struct RunReport: Codable, Sendable, Equatable {
    /// The tool that produced the report, `sync-conformance`.
    public var tool: String
    /// The tool's version.
    public var toolVersion: String
    /// The spec version the vectors were checked against.
    public var specVersion: String
    /// The implementation under test (its base URL for servers).
    public var target: String
    /// The implementation profile's name, when one was given.
    public var profile: String?
    /// The optional features the run treated as supported.
    public var features: [String]
    /// When the run started.
    public var startedAt: Date
    /// Wall-clock length of the whole run.
    public var durationMs: Int
    /// One entry per vector considered, skipped ones included, in id order.
    public var vectors: [VectorReport]
    /// One entry per spec requirement, in spec order, covered or not.
    public var requirements: [RequirementCoverage]
    /// Counts over `vectors` and `requirements`.
    public var summary: RunSummary

    /// Creates a report.
    public init(tool: String = "sync-conformance", toolVersion: String, specVersion: String, target: String,
                profile: String?, features: [String], startedAt: Date, durationMs: Int,
                vectors: [VectorReport], requirements: [RequirementCoverage], summary: RunSummary) {
        self.tool = tool
        self.toolVersion = toolVersion
        self.specVersion = specVersion
        self.target = target
        self.profile = profile
        self.features = features
        self.startedAt = startedAt
        self.durationMs = durationMs
        self.vectors = vectors
        self.requirements = requirements
        self.summary = summary
    }
}

/// The verdict on one vector.
public enum VectorStatus: String, Codable, Sendable, CaseIterable {
    /// Every step matched.
    case passed
    /// A step did not match what the vector expects of the implementation.
    case failed
    /// Not run: it needs a feature the implementation does not support, or a filter left it out.
    case skipped
    /// Failed, and the profile lists it as known to fail.
    case knownFailing = "known_failing"
    /// Passed although the profile lists it as known to fail: the list is stale. Counts as a failure.
    case unexpectedPass = "unexpected_pass"
    /// The runner could not carry it out (setup refused, connection refused, vector timeout).
    case error
}

/// One vector's outcome.
public struct VectorReport: Codable, Sendable, Equatable {
    /// The vector's stable id.
    public var id: String
    /// Its one-line title.
    public var title: String
    /// Its category (`push`, `uploads`, ...).
    public var category: String
    /// `MUST`, `SHOULD` or `MAY`.
    public var level: String
    /// The requirement ids it checks.
    public var requirements: [String]
    /// The optional features it needs.
    public var features: [String]
    /// The verdict.
    public var status: VectorStatus
    /// Whether a failure of this vector makes the run fail (MUST, supported, not known-failing,
    /// not filtered out).
    public var required: Bool
    /// Why it was skipped, or the profile's reason for a known failure.
    public var reason: String?
    /// Whether `--filter` and `--skip` left it in the run (a vector they leave out is `skipped`
    /// and counts in no verdict).
    public var selected: Bool
    /// What the run lacked to carry it out: unsupported features and `node NAME` for nodes not
    /// given (empty unless it was skipped for that).
    public var missing: [String]
    /// How long it ran (0 when skipped).
    public var durationMs: Int
    /// How many times it ran (2 when a flaky vector was retried).
    public var attempts: Int
    /// What went wrong, for `failed`, `known_failing` and `error`.
    public var failure: FailureDetail?
    /// Every request, response and frame exchanged, in order.
    public var wireLog: [WireEntry]

    /// Creates a vector outcome.
    public init(id: String, title: String, category: String, level: String, requirements: [String], features: [String],
                status: VectorStatus, required: Bool, reason: String? = nil, selected: Bool = true, missing: [String] = [],
                durationMs: Int = 0, attempts: Int = 0, failure: FailureDetail? = nil, wireLog: [WireEntry] = []) {
        self.id = id
        self.title = title
        self.category = category
        self.level = level
        self.requirements = requirements
        self.features = features
        self.status = status
        self.required = required
        self.reason = reason
        self.selected = selected
        self.missing = missing
        self.durationMs = durationMs
        self.attempts = attempts
        self.failure = failure
        self.wireLog = wireLog
    }
}

/// Where and how a vector failed.
public struct FailureDetail: Codable, Sendable, Equatable {
    /// Zero-based index of the failing step (`-1` for setup).
    public var stepIndex: Int
    /// The step's kind and name, e.g. `expect a` or `http POST /v1/sync/push`.
    public var step: String
    /// One-line explanation, e.g. `$.results[0].status: expected "applied", got "duplicate"`.
    public var message: String
    /// The expected value, pretty-printed, when there is one.
    public var expected: String?
    /// The actual value, pretty-printed, when there is one.
    public var actual: String?
    /// A line diff of expected against actual (`-` expected, `+` actual, ` ` same).
    public var diff: [String]

    /// Creates a failure detail.
    public init(stepIndex: Int, step: String, message: String, expected: String? = nil, actual: String? = nil, diff: [String] = []) {
        self.stepIndex = stepIndex
        self.step = step
        self.message = message
        self.expected = expected
        self.actual = actual
        self.diff = diff
    }
}

/// One entry of a vector's wire log.
public struct WireEntry: Codable, Sendable, Equatable {
    /// What the entry records.
    public enum Kind: String, Codable, Sendable {
        case httpRequest = "http_request"
        case httpResponse = "http_response"
        case wsOpen = "ws_open"
        case wsFrame = "ws_frame"
        case wsClose = "ws_close"
        case note
    }

    /// Which way the bytes went, seen from the runner.
    public enum Direction: String, Codable, Sendable {
        case sent
        case received
        case local
    }

    /// Milliseconds since the vector started.
    public var atMs: Int
    /// The connection (actor or `ws_connect` name; `setup` for setup calls).
    public var connection: String
    /// Which way.
    public var direction: Direction
    /// What kind of entry.
    public var kind: Kind
    /// A one-line summary: `POST /v1/sync/push`, `201 Created`, `close 4401`, `text 143 bytes`.
    public var summary: String
    /// Headers of HTTP entries (lowercased names), in order.
    public var headers: [[String]]?
    /// The body or frame content, as text (binary as base64), cut at 4 KiB.
    public var body: String?

    /// Creates a wire-log entry.
    public init(atMs: Int, connection: String, direction: Direction, kind: Kind, summary: String,
                headers: [[String]]? = nil, body: String? = nil) {
        self.atMs = atMs
        self.connection = connection
        self.direction = direction
        self.kind = kind
        self.summary = summary
        self.headers = headers
        self.body = body
    }
}

/// How well one spec requirement is covered and how its vectors fared.
public struct RequirementCoverage: Codable, Sendable, Equatable {
    /// The requirement id, e.g. `UPL-7`.
    public var id: String
    /// `MUST`, `SHOULD` or `MAY`, from the spec.
    public var level: String
    /// The requirement's title, from the spec.
    public var title: String
    /// The sides it binds, `server` and/or `client`, from the spec (`applies_to`). Server runs
    /// count only requirements that bind servers in `mustRequirements`.
    public var appliesTo: [String]
    /// Ids of the vectors citing it.
    public var vectors: [String]
    /// How many of those passed.
    public var passed: Int
    /// How many failed (failed, error or unexpected_pass).
    public var failed: Int
    /// How many were skipped or known to fail.
    public var notRun: Int

    /// Creates a coverage entry.
    public init(id: String, level: String, title: String, appliesTo: [String] = ["server"], vectors: [String], passed: Int, failed: Int, notRun: Int) {
        self.id = id
        self.level = level
        self.title = title
        self.appliesTo = appliesTo
        self.vectors = vectors
        self.passed = passed
        self.failed = failed
        self.notRun = notRun
    }
}

/// Counts over a run.
public struct RunSummary: Codable, Sendable, Equatable {
    /// Vectors considered.
    public var total: Int
    /// Vectors per status (every status present, zero included), keyed by raw value.
    public var byStatus: [String: Int]
    /// Vectors that `--filter` and `--skip` left in the run.
    public var selected: Int
    /// Selected vectors the runner carried out, whatever their outcome (the others were skipped
    /// for a feature or node the run lacked).
    public var ran: Int
    /// Features and nodes (`node NAME`) that selected vectors needed and the run lacked: what
    /// this run says nothing about.
    public var notTested: [String]
    /// Required vectors, and how many of them passed.
    public var required: Int
    /// Required vectors that passed.
    public var requiredPassed: Int
    /// The kind of implementation under test: `server` or `client`.
    public var side: String
    /// MUST requirements in the spec that bind the kind of implementation under test.
    public var mustRequirements: Int
    /// Of those, the ones cited by at least one vector.
    public var mustCovered: Int
    /// Of those, the ones cited by at least one vector that ran in this run.
    public var mustExercised: Int
    /// The verdict in one line, saying how much of the selection ran and what was not tested,
    /// e.g. `conformant for features [test-control]: 3 of 54 selected vectors ran; not tested:
    /// http-sync, uploads`.
    public var verdict: String
    /// The exit code the run ends with: 0 when at least one selected vector ran, every required
    /// vector passed and nothing passed unexpectedly; 1 otherwise.
    public var exitCode: Int32

    /// Creates a summary.
    public init(total: Int, byStatus: [String: Int], selected: Int, ran: Int, notTested: [String] = [], required: Int,
                requiredPassed: Int, side: String = "server", mustRequirements: Int, mustCovered: Int, mustExercised: Int,
                verdict: String, exitCode: Int32) {
        self.side = side
        self.total = total
        self.byStatus = byStatus
        self.selected = selected
        self.ran = ran
        self.notTested = notTested
        self.mustExercised = mustExercised
        self.verdict = verdict
        self.required = required
        self.requiredPassed = requiredPassed
        self.mustRequirements = mustRequirements
        self.mustCovered = mustCovered
        self.exitCode = exitCode
    }
}
