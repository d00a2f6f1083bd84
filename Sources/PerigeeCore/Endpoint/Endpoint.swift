/// The one declaration of an LL2 resource endpoint (DRF view + django-filter FilterSet in one):
/// its path, entity, modes, filters, search fields, ordering fields. The query parser, the SQL,
/// the help text and the API root all read it; nothing about an endpoint is written anywhere else.
public struct Endpoint: Sendable {
    /// One `mode` value and the shape it selects.
    public struct Mode: Sendable {
        public let name: String
        public let shape: Shape
    }

    /// The view's name, as DRF titles the browsable page (`Spacecraft List`).
    public let title: String
    /// The path after `/2.3.0/` without slashes (`spacecraft_flights`, `config/orbits`).
    public let path: String
    public let entity: Entity
    /// Modes in LL2's help order; the first is the list default.
    public let modes: [Mode]
    /// The mode a detail route uses when the request names none.
    public let detailMode: String
    public let filters: [BoundFilter]
    /// Django paths searched by `search` (`name`, `spacecraft_config__name`).
    public let searchPaths: [FieldPath]
    /// The names the spec lists for them ("Fields searched"), which differ where Perigee's model
    /// reaches the same field another way (`spacecraftflight__rocket__launch__name`).
    public let searchNames: [String]
    /// Names accepted by `ordering`, each with the path it sorts by.
    public let orderingFields: [(name: String, path: FieldPath)]
    /// Ordering names that are Perigee extensions (not in the help block LL2's pages show).
    public let extensionOrdering: Set<String>
    /// Filters (or `search: …` fields) the spec lists that Perigee does not implement yet.
    public let notYet: [String]
    /// For a view of part of the entity by time (upcoming, previous): the window and its field.
    public let window: (window: TimeWindow, path: FieldPath)?
    /// Sort keys when the request names none (`-net`), before the primary key; empty: the primary key.
    public let defaultOrdering: [(path: FieldPath, descending: Bool)]
    /// The help block's examples (query strings, as the spec's description gives them).
    public let modeExample: String?
    /// An example for the help block's Filters section (`is_placeholder=True`), and so on.
    public let filterExample: String?
    public let searchExample: String?
    public let orderingExample: String?
    /// Whether curators may write its objects, and what a new one needs (nil: read only).
    public let writes: WriteRules?

    /// - Parameters: see the properties; paths are resolved against `entity` and must exist.
    public init(
        title: String, path: String, entity entityName: String, modes: [(String, Shape)], detailMode: String = "detailed",
        filters: [FilterField] = [], search: [NamedPath] = [], ordering: [NamedPath] = [], notYet: [String] = [],
        window: TimeWindow? = nil, defaultOrdering: [String] = [],
        modeExample: String? = nil, filterExample: String? = nil, searchExample: String? = nil, orderingExample: String? = nil,
        writes: WriteRules? = nil
    ) {
        guard let entity = Catalog.entity(entityName) else { preconditionFailure("Endpoint \(path): no entity \(entityName)") }
        func resolve(_ text: String) -> FieldPath {
            guard let path = FieldPath(text, from: entity) else { preconditionFailure("Endpoint \(entityName): bad path \(text)") }
            return path
        }
        self.title = title
        self.path = path
        self.entity = entity
        self.modes = modes.map { Mode(name: $0.0, shape: $0.1) }
        self.detailMode = detailMode
        // Beyond LL2: `last_updated` filters and ordering on every endpoint, on when the store last
        // changed the object, unless the entity has LL2's own `last_updated` (launches, events).
        let ownLastUpdated = entity.field("last_updated") != nil
        let allFilters = filters + (ownLastUpdated ? [] : FilterField.lastChanged)
        self.filters = allFilters.map { BoundFilter(field: $0, path: resolve($0.pathText), otherPaths: $0.otherPathTexts.map(resolve)) }
        self.searchPaths = search.map { resolve($0.path) }
        self.searchNames = search.map(\.name)
        self.orderingFields =
            ordering.map { ($0.name, resolve($0.path)) }
            + (ownLastUpdated ? [] : [("last_updated", resolve(Entity.changedAtKey))])
        self.extensionOrdering = ownLastUpdated ? [] : ["last_updated"]
        self.notYet = notYet
        self.window = window.map { ($0, resolve($0.fieldPath)) }
        self.defaultOrdering = defaultOrdering.map { name in
            name.hasPrefix("-") ? (resolve(String(name.dropFirst())), true) : (resolve(name), false)
        }
        self.modeExample = modeExample ?? (modes.count > 1 ? "mode=\(modes.last!.0)" : nil)
        self.filterExample = filterExample
        self.searchExample = searchExample
        self.orderingExample = orderingExample
        self.writes = writes
    }

    /// A `/config/…` lookup endpoint: one shape, no modes, filters, search or ordering.
    public static func config(_ title: String, _ name: String, entity: String, shape: Shape) -> Endpoint {
        Endpoint(title: title, path: "config/\(name)", entity: entity, modes: [("", shape)])
    }

    /// Whether what the endpoint answers depends on the clock beyond live figures: a time window, or
    /// a filter relative to now. Its responses then expire as live ones do.
    public var dependsOnClock: Bool {
        window != nil || filters.contains { $0.field.lookup == .notBeforeNow }
    }

    /// Whether `mode` selects anything here (lookup endpoints have one shape).
    public var hasModes: Bool { modes.count > 1 }

    /// The shape for mode `name`, if the endpoint has that mode.
    public func shape(mode name: String) -> Shape? { modes.first { $0.name == name }?.shape }
}

/// A field the spec lists by `name` ("Fields searched", "Ordering"), and the path Perigee reads for
/// it: the same text, except where Perigee's model reaches the field another way
/// (`payloadflight__rocket__launch__net` through `payloadflight__launch__net`).
public struct NamedPath: Sendable, ExpressibleByStringLiteral {
    public let name: String
    public let path: String

    public init(stringLiteral value: String) {
        name = value
        path = value
    }

    /// A field the spec names `name` that Perigee reaches through `path`.
    public static func named(_ name: String, path: String) -> NamedPath { NamedPath(name: name, path: path) }

    /// Fields whose names are their paths (a list built from shared names).
    public static func list(_ names: [String]) -> [NamedPath] { names.map { NamedPath(name: $0, path: $0) } }

    init(name: String, path: String) {
        self.name = name
        self.path = path
    }
}
