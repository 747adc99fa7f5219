/// A walkthrough for implementers, rendered near the top of `reference.md`: an introduction and
/// titled sections of Markdown.
public struct Guide: Sendable, Hashable {
    /// One titled part of a guide.
    public struct Section: Sendable, Hashable {
        /// The heading.
        public var title: String
        /// Markdown.
        public var text: String
        /// Spec elements the section relies on (`message:push`, `error:sequence_gap`, `requirement:CL-2`, ...),
        /// checked by the linter and linked under the section.
        public var refs: [String]
        /// Where the section is written.
        public var location: SourceLocation
    }

    /// `snake_case` name; the guide's anchor is `guide-<name>`.
    public var name: String
    /// The heading, such as `Implementing a client`.
    public var title: String
    /// The sections in spec order.
    public var sections: [Section]
    /// The introduction (description), version and location.
    public var info: DefinitionInfo
}
