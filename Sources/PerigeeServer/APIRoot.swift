import PerigeeCore

/// DRF's API root: each endpoint's name and absolute list URL.
enum APIRoot {
    static func json(base: BaseURL) -> JSONValue {
        .object(Endpoints.all.map { ($0.path, .string(base.api($0.path))) })
    }
}
