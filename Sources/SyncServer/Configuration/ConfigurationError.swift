/// A server setting, key or token request that cannot be used, with a code tools can match and a
/// message that says how to fix it. Messages never contain secrets, keys or tokens.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is; new codes may be added without breaking callers.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code as text, such as `missing_key`.
        public var rawValue: String

        /// Creates a code from its text.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The code as text.
        public var description: String { rawValue }

        /// A value is out of range or not in the expected form.
        public static let invalidValue = Code(rawValue: "invalid_value")
        /// No key to sign or verify tokens with was given.
        public static let missingKey = Code(rawValue: "missing_key")
        /// A key was given but cannot be used (not PEM, wrong curve, too short).
        public static let invalidKey = Code(rawValue: "invalid_key")
        /// The database location names a database this build does not support.
        public static let unsupportedDatabase = Code(rawValue: "unsupported_database")
        /// A setting that is only safe on a loopback address was combined with a public host.
        public static let unsafeHost = Code(rawValue: "unsafe_host")
        /// Signing a token failed.
        public static let signingFailed = Code(rawValue: "signing_failed")
    }

    /// What kind of problem it is.
    public var code: Code
    /// One or two sentences for people: what is wrong and how to fix it.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
