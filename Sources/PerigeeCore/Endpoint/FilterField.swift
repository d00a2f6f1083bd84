/// A django-filter lookup: how a filter compares the stored value with the parameter.
/// Only the lookups the declared endpoints use; add one together with its SQL.
public enum Lookup: String, Sendable, CaseIterable {
    case exact, gt, gte, lt, lte
}

/// How a filter parameter's text is read, and the error django-filter gives when it can't be.
public enum FilterValueKind: Sendable {
    /// `True`/`False`/`true`/`false`; anything else means "not filtered".
    case boolean
    /// Free text.
    case text
    /// A number; otherwise `Enter a number.`.
    case number
    /// An ISO 8601 date-time; otherwise `Enter a valid date/time.`.
    case dateTime
    /// The id of an existing object (ModelChoiceFilter); otherwise `Select a valid choice. …`.
    case choice
}

/// One filter parameter of an endpoint: `name` is what the query string uses (`docking__gte`).
public struct FilterField: Sendable {
    public let name: String
    /// The Django path it filters on (`docking`, `docking_location__id`), resolved by its `Endpoint`.
    public let pathText: String
    public let lookup: Lookup
    public let valueKind: FilterValueKind

    init(name: String, path: String, lookup: Lookup, kind: FilterValueKind) {
        self.name = name
        self.pathText = path
        self.lookup = lookup
        self.valueKind = kind
    }

    /// An exact filter on `path`; its parameter name is the path (django-filter drops `__exact`).
    public static func exact(_ path: String, _ kind: FilterValueKind) -> [FilterField] {
        [FilterField(name: path, path: path, lookup: .exact, kind: kind)]
    }

    /// One filter per lookup on `path`, named `path__lookup`.
    public static func range(_ path: String, _ kind: FilterValueKind, _ lookups: [Lookup]) -> [FilterField] {
        lookups.map { FilterField(name: $0 == .exact ? path : "\(path)__\($0.rawValue)", path: path, lookup: $0, kind: kind) }
    }
}

/// A filter resolved against its endpoint's entity when the endpoint is declared.
public struct BoundFilter: Sendable {
    public let field: FilterField
    public let path: FieldPath
}
