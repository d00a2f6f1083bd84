import PerigeeCore

/// DRF's API root: each endpoint's name and absolute list URL.
enum APIRoot {
    /// `browsable`: the links carry `?format=api`, so the root page links to the endpoints' pages.
    static func json(base: BaseURL, browsable: Bool) -> JSONValue {
        .object(Endpoints.rootPaths.map { ($0, .string(base.api($0) + (browsable ? "?format=api" : ""))) })
    }
}
