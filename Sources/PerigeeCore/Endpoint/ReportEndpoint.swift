/// The declaration of a read-only view that is not a resource: one object about the caller, no
/// list, filters or ids (LL2's `/api-throttle/`). Like `Endpoint`, the API root, the routes, the
/// help text, `OPTIONS` and the OpenAPI document all read it.
public struct ReportEndpoint: Sendable {
    /// One key of the object, in order.
    public struct Field: Sendable {
        public let name: String
        /// `integer` or `string`, as the OpenAPI document writes it.
        public let type: String
        public let description: String
    }

    /// The view's name, as DRF titles the browsable page (`Api Throttle`).
    public let title: String
    /// The path after `/2.3.0/` without slashes.
    public let path: String
    /// What it tells, for the help block, `OPTIONS` and the OpenAPI summary.
    public let summary: String
    /// The OpenAPI schema's name (LL2's).
    public let schemaName: String
    public let fields: [Field]

    public init(title: String, path: String, summary: String, schemaName: String, fields: [(String, String, String)]) {
        self.title = title
        self.path = path
        self.summary = summary
        self.schemaName = schemaName
        self.fields = fields.map { Field(name: $0.0, type: $0.1, description: $0.2) }
    }

    /// The help block: what the view tells, and the format switch.
    public var helpSections: [HelpSection] {
        [
            HelpSection(title: "GET", lines: [.init(label: summary, value: "", link: nil)]),
            HelpSection(
                title: "Format",
                lines: [.init(label: "Switch to JSON output", value: "/\(path)/?format=json", link: APIPath.list(path) + "?format=json")]),
        ]
    }
}

extension Endpoints {
    /// `/2.3.0/api-throttle/`: the caller's limit and use, as LL2 reports them. LL2's spec types the
    /// response as an array of one schema; LL2 answers with the object itself, and so does Perigee.
    public static let apiThrottle = ReportEndpoint(
        title: "Api Throttle", path: "api-throttle",
        summary: "Returns a range of information about your API access; asking does not count as a call.",
        schemaName: "APIThrottle",
        fields: [
            ("your_request_limit", "integer", "Requests allowed per period (2147483647 when no limit applies)."),
            ("limit_frequency_secs", "integer", "The period, in seconds."),
            ("current_use", "integer", "Requests counted in the last period."),
            ("next_use_secs", "integer", "Seconds until the next request will be admitted (0: now)."),
            ("ident", "string", "Who is counted: the client's address, or the API key's name."),
        ])

    /// Every report view.
    public static let reports: [ReportEndpoint] = [apiThrottle]

    /// The API root's entries, as DRF's router lists them: every resource and report by path.
    public static var rootPaths: [String] { (all.map(\.path) + reports.map(\.path)).sorted() }
}
