/// How a field of an LL2 object is stored and read back.
public enum FieldKind: Sendable, Equatable {
    case text
    case integer
    case double
    case boolean
    /// `YYYY-MM-DD`, stored as text (sorts correctly as text).
    case date
    /// ISO 8601 instant, stored as microseconds since the epoch (see `Timestamp`).
    case dateTime
    /// ISO 8601 duration, stored as microseconds (see `ISODuration`) so it orders numerically.
    case duration
    /// A nested object of another entity, stored once in its own table and referenced by id.
    case reference(String)
    /// An ordered list of objects of another entity, stored in a join table `<owner>__<key>`.
    case referenceList(String)
    /// Objects of another entity that point back at this one through their field `via`
    /// (a spacecraft's `flights`, a flight's `docking_events`, an image's `variants`); with `whereNull`,
    /// only those whose column of that name is null (a station's open docking events).
    case children(String, via: String, whereNull: String? = nil)
    /// Objects of another entity whose list field `through` holds this one (a family's configurations).
    case reverseList(String, through: String)
    /// A value with no identity of its own (a first stage, a rocket's stages), kept as its JSON text.
    case embedded
    /// Like `embedded`, for a list (info URLs, crews): shown as `[]` when the store has none.
    case embeddedList
}

/// One field of an entity: the JSON key LL2 uses and how it is stored.
public struct Field: Sendable {
    public let key: String
    public let kind: FieldKind

    public init(_ key: String, _ kind: FieldKind) {
        self.key = key
        self.kind = kind
    }

    /// The column that holds this field in the entity's table, or nil for lists kept elsewhere.
    public var column: String? {
        switch kind {
        case .reference: return key + "_id"
        case .referenceList, .children, .reverseList: return nil
        default: return key
        }
    }

    /// Whether the field is the rows of another entity pointing back here.
    public var isChildren: Bool {
        if case .children = kind { return true }
        return false
    }

    /// The entity this field points at, for references, lists and children.
    public var target: String? {
        switch kind {
        case .reference(let target), .referenceList(let target), .children(let target, _, _), .reverseList(let target, _):
            return target
        default: return nil
        }
    }
}

/// The kind of primary key an entity has: most LL2 objects use integers, launches use UUIDs.
public enum IdentifierKind: Sendable {
    case integer
    case uuid
    /// Objects LL2 gives no id (a launch's video and info links, its timeline): the id is text made
    /// of the owner and the object's place in the owner's list (`launch:<id>:vid_urls:0002`), so a
    /// copy of the list imported again rewrites the same rows, and a shorter one drops the rest.
    case positional

    /// Whether ids of this kind are text (a UUID, or a position) rather than integers.
    public var isText: Bool { self != .integer }
}

/// A real-world thing LL2 describes (an agency, a spacecraft, a docking event): one table, one row per id.
public struct Entity: Sendable {
    /// Singular snake_case name, also the table name.
    public let name: String
    /// The path segment after `/2.3.0/` of its detail URL (`agencies`, `config/orbits`), if it has one.
    public let path: String?
    /// Django's verbose model name, used in `No <Model> matches the given query.`.
    public let modelName: String
    public let identifier: IdentifierKind
    public let fields: [Field]
    /// Fields computed from other records; each is also in `fields`, where its imported value is kept.
    public let derived: [DerivedField]
    /// Set on import when a copy carries live figures.
    public let importStamp: ImportStamp?
    /// Reference keys a copy may leave out because it sits inside the object they point at: LL2
    /// nests a launch's payload flights and stages in its rocket without their `launch`, so a copy
    /// found inside a launch takes that launch (the nearest enclosing object of the target entity).
    public let inherited: [String]
    /// References the store fills from another reference's row when a copy never names them: a
    /// flight's `rocket` is its launch's rocket (`InferredReference`).
    public let inferred: [InferredReference]
    /// `fields` and `derived` by key: looked up for every value rendered, so not a linear search.
    private let fieldsByKey: [String: Field]
    private let derivedByKey: [String: DerivedField]

    public init(
        _ name: String, path: String? = nil, model: String, identifier: IdentifierKind = .integer, fields: [Field],
        derived: [DerivedField] = [], importStamp: ImportStamp? = nil, inherited: [String] = [],
        inferred: [InferredReference] = []
    ) {
        self.name = name
        self.path = path
        self.modelName = model
        self.identifier = identifier
        self.fields = fields + [Field(Self.changedAtKey, .dateTime)]
        self.derived = derived
        self.importStamp = importStamp
        self.inherited = inherited
        self.inferred = inferred
        self.fieldsByKey = Dictionary(self.fields.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        self.derivedByKey = Dictionary(derived.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Not an LL2 key: when the object was last created or changed (by import, sync or a curator's
    /// write), kept by `RecordWriter` in the write's transaction. Every endpoint filters and orders by
    /// it as `last_updated` unless its entity has LL2's own `last_updated` (`Endpoint.init`).
    public static let changedAtKey = "perigee_changed_at"

    /// The id a URL path segment names, if it is one this entity can have (LL2 answers 404 for a
    /// non-numeric id). Only a well-formed UUID reaches the store (PostgreSQL refuses NUL and other
    /// bytes in text); positional objects have no route of their own.
    public func recordID(inPath text: String) -> RecordID? {
        switch identifier {
        case .integer: return Int64(text).map(RecordID.integer)
        case .uuid: return UUIDText.isValid(text) ? .uuid(text) : nil
        case .positional: return nil
        }
    }

    /// The derived field served under `key`, if that key is computed.
    public func derivedField(_ key: String) -> DerivedField? { derivedByKey[key] }

    /// The field with JSON key `key`.
    public func field(_ key: String) -> Field? { fieldsByKey[key] }

    /// The fields stored as columns of this entity's table, in declaration order.
    public var columnFields: [Field] { fields.filter { $0.column != nil } }

    /// The join table that holds the list field `key`.
    public func joinTable(for key: String) -> String { name + "__" + key }
}

/// A reference the store derives in SQL after each write, by one of two rules:
/// - `through`: `key` is set, where null, to the `through` reference of the row that `from` points
///   at (`rocket` from `launch` → `launch.rocket`). It lets a list that LL2 nests in a rocket (its
///   flights, stages, payloads) find the records that were only ever imported with their launch.
/// - `named`: `key` is the row of its target entity whose `name` is this row's text field `from`,
///   kept in step with that text (an agency's `parent` is its parent's name in LL2's JSON; the
///   reference lets `related_lsp__id` and `parent__id` filter by id).
public struct InferredReference: Sendable {
    public enum Rule: Sendable {
        case through(String)
        case named
    }

    public let key: String
    public let from: String
    public let rule: Rule

    public init(_ key: String, from: String, through: String) {
        self.key = key
        self.from = from
        self.rule = .through(through)
    }

    private init(key: String, from: String, rule: Rule) {
        self.key = key
        self.from = from
        self.rule = rule
    }

    /// `key` points at the object whose `name` is the text in `from`.
    public static func named(_ key: String, by from: String) -> InferredReference {
        InferredReference(key: key, from: from, rule: .named)
    }
}

extension Field {
    static func text(_ key: String) -> Field { Field(key, .text) }
    static func int(_ key: String) -> Field { Field(key, .integer) }
    static func double(_ key: String) -> Field { Field(key, .double) }
    static func bool(_ key: String) -> Field { Field(key, .boolean) }
    static func date(_ key: String) -> Field { Field(key, .date) }
    static func dateTime(_ key: String) -> Field { Field(key, .dateTime) }
    static func duration(_ key: String) -> Field { Field(key, .duration) }
    static func embedded(_ key: String) -> Field { Field(key, .embedded) }
    static func ref(_ key: String, _ target: String) -> Field { Field(key, .reference(target)) }
    static func refs(_ key: String, _ target: String) -> Field { Field(key, .referenceList(target)) }
    static func children(_ key: String, _ target: String, via: String, whereNull: String? = nil) -> Field {
        Field(key, .children(target, via: via, whereNull: whereNull))
    }
    static func reverseList(_ key: String, _ target: String, through: String) -> Field { Field(key, .reverseList(target, through: through)) }
    static func embeddedList(_ key: String) -> Field { Field(key, .embeddedList) }
    static func ints(_ keys: String...) -> [Field] { keys.map { Field($0, .integer) } }
}
