/// A django-filter lookup: how a filter compares the stored value with the parameter.
/// Only the lookups the declared endpoints use; add one together with its SQL.
public enum Lookup: String, Sendable, CaseIterable {
    case exact, gt, gte, lt, lte
    /// Case-sensitive substring (Django's `contains`).
    case contains
    /// Case-insensitive substring (Django's `icontains`).
    case icontains
    /// Any of a comma-separated list (django-filter's `BaseInFilter`).
    case `in`
    /// The UTC year, month or day of a date-time is any of a comma-separated list (LL2's `year=2024,2025`).
    case year, month, day
    /// A boolean parameter: whether the path leads to a value (not null, and for an embedded list not
    /// empty); through a list or children, whether there is any such element. LL2's agency
    /// `spacecraft=true` asks for agencies that make a spacecraft configuration (their `spacecraft`
    /// text is empty even for CASC, which makes Tianzhou); a launch's `is_crewed=true` for one whose
    /// spacecraft flights have a launch crew.
    case isSet
    /// A boolean parameter: when true, only objects whose date-time is not before the request's clock
    /// (LL2's `hide_recent_previous` on the upcoming views); false or absent filters nothing.
    case notBeforeNow
    /// A boolean parameter naming a kind of object the list includes by default: false leaves out the
    /// objects whose path equals the filter's `constant` (`include_suborbital=false` leaves out launches
    /// whose mission's orbit is suborbital); true or absent filters nothing.
    case includesConstant

    /// Whether the parameter is a comma-separated list.
    public var takesList: Bool {
        switch self {
        case .in, .year, .month, .day: return true
        default: return false
        }
    }
}

/// How a filter parameter's text is read, and the error django-filter gives when it can't be.
public enum FilterValueKind: Sendable {
    /// `True`/`False`/`true`/`false`; anything else means "not filtered".
    case boolean
    /// Free text.
    case text
    /// A whole number; otherwise `Enter a number.`.
    case number
    /// A decimal number (latitudes); otherwise `Enter a number.`.
    case decimal
    /// `YYYY-MM-DD`; otherwise `Enter a valid date.`.
    case date
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
    /// Further paths the filter also matches on: an object matches when any path does (Django's
    /// `Q(a) | Q(b)`; `related_lsp__name` matches the provider's own name or its parent's).
    public let otherPathTexts: [String]
    public let lookup: Lookup
    public let valueKind: FilterValueKind
    /// The value an `includesConstant` filter leaves out.
    public let constant: String?
    /// A Perigee extension LL2 does not have (not in the help block LL2's pages show).
    public let isExtension: Bool

    init(
        name: String, path: String, otherPaths: [String] = [], lookup: Lookup, kind: FilterValueKind, constant: String? = nil,
        isExtension: Bool = false
    ) {
        self.name = name
        self.pathText = path
        self.otherPathTexts = otherPaths
        self.lookup = lookup
        self.valueKind = kind
        self.constant = constant
        self.isExtension = isExtension
    }

    /// `last_updated__gte` and `__lte` on when an object last changed in the store (`Entity.changedAtKey`):
    /// what every endpoint whose entity has no `last_updated` of LL2's own gains.
    static let lastChanged = [Lookup.gte, .lte].map {
        FilterField(name: "last_updated__\($0.rawValue)", path: Entity.changedAtKey, lookup: $0, kind: .dateTime, isExtension: true)
    }

    /// An exact filter on `path`; its parameter name is the path (django-filter drops `__exact`).
    public static func exact(_ path: String, _ kind: FilterValueKind) -> [FilterField] {
        [FilterField(name: path, path: path, lookup: .exact, kind: kind)]
    }

    /// One filter per lookup on `path`, named `path__lookup`.
    public static func range(_ path: String, _ kind: FilterValueKind, _ lookups: [Lookup]) -> [FilterField] {
        lookups.map { FilterField(name: $0 == .exact ? path : "\(path)__\($0.rawValue)", path: path, lookup: $0, kind: kind) }
    }

    /// `path`, `path__gt`, `path__gte`, `path__lt`, `path__lte`: the counts LL2 lets every list filter on.
    public static func numbers(_ paths: String...) -> [FilterField] {
        paths.flatMap { range($0, .number, [.exact, .gt, .gte, .lt, .lte]) }
    }

    /// `path` (exact) and `path__contains` on text.
    public static func textContains(_ paths: String...) -> [FilterField] {
        paths.flatMap { range($0, .text, [.exact, .contains]) }
    }

    /// A filter whose name is not `path__lookup` (`status__ids` → `status` in a list).
    public static func named(_ name: String, path: String, _ lookup: Lookup, _ kind: FilterValueKind) -> [FilterField] {
        [FilterField(name: name, path: path, lookup: lookup, kind: kind)]
    }

    /// A filter that matches when any of `paths` matches (`related_lsp__id`: the provider or its parent).
    public static func anyOf(_ name: String, paths: [String], _ lookup: Lookup, _ kind: FilterValueKind) -> [FilterField] {
        [FilterField(name: name, path: paths[0], otherPaths: Array(paths.dropFirst()), lookup: lookup, kind: kind)]
    }

    /// A boolean filter that, when false, leaves out the objects whose `path` is `constant`.
    public static func includes(_ name: String, path: String, leavingOut constant: String) -> [FilterField] {
        [FilterField(name: name, path: path, lookup: .includesConstant, kind: .boolean, constant: constant)]
    }
}

/// A filter resolved against its endpoint's entity when the endpoint is declared.
public struct BoundFilter: Sendable {
    public let field: FilterField
    /// The first path; `paths` lists it with the others.
    public let path: FieldPath
    public let otherPaths: [FieldPath]

    /// Every path the filter matches on, the first first.
    public var paths: [FieldPath] { [path] + otherPaths }
}
