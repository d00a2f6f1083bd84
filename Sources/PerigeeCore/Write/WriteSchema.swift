/// What a curator's write body may say about an endpoint's objects, read from the endpoint's own
/// declaration: the keys of its detailed mode (LL2's JSON for the resource), each writable or
/// read-only by what the catalog says it is, and the keys `WriteRules.required` names. It checks a
/// body as DRF's serializer would, every field error at once, and turns it into the LL2 JSON the
/// importer stores: nested objects become references by id.
public struct WriteSchema: Sendable {
    /// How a writable key is written.
    public enum Kind: Sendable {
        /// A stored value, checked against the field's kind.
        case value(FieldKind)
        /// A nested object, given by its id (`25` or `{"id": 25}`), or null.
        case reference(Entity)
        /// A list of nested objects, each given by its id.
        case references(Entity)
    }

    public let endpoint: Endpoint
    /// Writable keys, in the detailed shape's order.
    public let writable: [(key: String, kind: Kind)]
    /// Keys the detailed shape shows that a body may not change: `id`, `url`, `response_mode`,
    /// computed figures, lists made of other objects' references.
    public let readOnly: Set<String>
    /// Read-only keys whose value changes with the clock (`time_in_space`): a copy read a moment ago
    /// cannot be told from a change, so they are not compared.
    public let ticking: Set<String>
    public let required: [String]

    public init?(_ endpoint: Endpoint) {
        guard let rules = endpoint.writes, let shape = endpoint.shape(mode: "detailed") ?? endpoint.modes.last?.shape else { return nil }
        let entity = endpoint.entity
        var writable: [(String, Kind)] = []
        var readOnly: Set<String> = []
        var ticking: Set<String> = []
        for member in shape.members {
            switch member {
            case .responseMode: readOnly.insert("response_mode")
            case .id: readOnly.insert("id")
            case .url: readOnly.insert("url")
            case .field(let key):
                if let derived = entity.derivedField(key) {
                    readOnly.insert(key)
                    if derived.ticks { ticking.insert(key) }
                } else if let field = entity.field(key) {
                    writable.append((key, .value(field.kind)))
                }
            case .object(let key, _):
                if let name = entity.field(key)?.target, let target = Catalog.entity(name), case .reference = entity.field(key)?.kind {
                    writable.append((key, .reference(target)))
                } else {
                    readOnly.insert(key)
                }
            case .list(let key, _):
                if let name = entity.field(key)?.target, let target = Catalog.entity(name), case .referenceList = entity.field(key)?.kind {
                    writable.append((key, .references(target)))
                } else {
                    readOnly.insert(key)
                }
            case .first(let key, _): readOnly.insert(key)
            case .group: break  // flattened when the shape is made
            }
        }
        self.endpoint = endpoint
        self.writable = writable
        self.readOnly = readOnly
        self.ticking = ticking
        self.required = rules.required
    }

    /// A body to start a new object from, for the browsable page's raw-data form (DRF fills its form
    /// with the serializer's empty fields): every writable key, with its default when the endpoint
    /// declares one, `""` for text, `[]` for a list of references, null otherwise.
    public var blankBody: JSONValue {
        let defaults = endpoint.writes?.defaults ?? []
        return .object(
            writable.map { key, kind in
                if let given = defaults.first(where: { $0.0 == key }) { return (key, given.1) }
                switch kind {
                case .value(.text): return (key, .string(""))
                case .references: return (key, .array([]))
                default: return (key, .null)
                }
            })
    }

    /// How a body is applied: a new object, the whole of one (absent writable keys become null or
    /// empty), or only the keys given.
    public enum Operation: Sendable {
        case create, replace, change
    }

    /// A checked body: the LL2 JSON to store (without `id`), and the references whose objects must
    /// exist (checked by the store, in the write's transaction).
    public struct Checked: Sendable {
        public let document: [(String, JSONValue)]
        public let references: [(key: String, entity: Entity, ids: [RecordID])]
    }

    /// Checks `body` for `operation`; `current` is the object's detailed JSON now (for replace and
    /// change), which read-only keys must equal if given. Returns what passed, and the field errors
    /// (nil when none): the caller adds the store's own (unknown ids) so that all come at once.
    public func check(_ body: JSONValue, operation: Operation, current: JSONValue?) -> (checked: Checked, errors: FieldErrors?) {
        guard let members = body.objectMembers else {
            let message = "Invalid data. Expected a dictionary, but got \(Self.pythonType(body))."
            return (Checked(document: [], references: []), FieldErrors([("non_field_errors", [message])]))
        }
        var errors: [(field: String, messages: [String])] = []
        let given = Dictionary(members, uniquingKeysWith: { _, last in last })
        let known = Set(writable.map(\.key))
        for (key, value) in members {
            if readOnly.contains(key) {
                if operation == .create {
                    errors.append((key, ["This field is read-only."]))
                } else if !ticking.contains(key), !Self.same(current?[key], value) {
                    errors.append((key, ["This field is read-only; it may only repeat the current value."]))
                }
            } else if !known.contains(key) {
                errors.append((key, ["This field is not part of this resource."]))
            }
        }
        var document: [(String, JSONValue)] = []
        var references: [(key: String, entity: Entity, ids: [RecordID])] = []
        let defaults = operation == .create ? Dictionary(endpoint.writes?.defaults ?? [], uniquingKeysWith: { first, _ in first }) : [:]
        for (key, kind) in writable {
            guard let value = given[key] ?? defaults[key] else {
                if operation != .change, required.contains(key) {
                    errors.append((key, ["This field is required."]))
                } else if operation == .replace {
                    if case .references = kind { document.append((key, .array([]))) } else { document.append((key, .null)) }
                }
                continue
            }
            if value == .null, required.contains(key) {
                errors.append((key, ["This field may not be null."]))
                continue
            }
            switch kind {
            case .value(let fieldKind):
                if let message = Self.problem(with: value, kind: fieldKind) { errors.append((key, [message])) } else { document.append((key, value)) }
            case .reference(let target):
                if value == .null {
                    document.append((key, .null))
                } else {
                    switch Self.id(value, of: target) {
                    case .success(let id):
                        document.append((key, .object([("id", id.json)])))
                        references.append((key, target, [id]))
                    case .failure(let message): errors.append((key, [message.description]))
                    }
                }
            case .references(let target):
                guard let elements = value.arrayElements else {
                    errors.append((key, ["Expected a list of items but got type \"\(Self.pythonType(value))\"."]))
                    continue
                }
                var ids: [RecordID] = []
                var messages: [String] = []
                for element in elements {
                    switch Self.id(element, of: target) {
                    case .success(let id): ids.append(id)
                    case .failure(let message): messages.append(message.description)
                    }
                }
                if messages.isEmpty {
                    document.append((key, .array(ids.map { .object([("id", $0.json)]) })))
                    references.append((key, target, ids))
                } else {
                    errors.append((key, messages))
                }
            }
        }
        return (Checked(document: document, references: references), errors.isEmpty ? nil : FieldErrors(errors))
    }

    /// Whether a read-only value sent repeats the current one. Nested objects are compared by id (a
    /// list by its ids in order): what they show may tick with the clock (a nested flight's
    /// `duration`), and which objects they are is all a body could try to change through them.
    static func same(_ current: JSONValue?, _ sent: JSONValue) -> Bool {
        func identity(_ value: JSONValue?) -> JSONValue? {
            switch value {
            case .object?: return value?["id"]
            case .array(let elements)?: return .array(elements.map { identity($0) ?? .null })
            default: return value
            }
        }
        return identity(current) == identity(sent)
    }

    /// The id a reference is given by: the id itself, or an object with it (other keys are ignored,
    /// so an object copied from a response is accepted).
    static func id(_ value: JSONValue, of target: Entity) -> Result<RecordID, Message> {
        let raw = value["id"] ?? value
        switch (target.identifier, raw) {
        case (.integer, .int(let number)) where DataBounds.isValidID(number): return .success(.integer(number))
        case (.integer, .int): return .failure(Message("Invalid pk - \(DataBounds.idMessage)"))
        case (.uuid, .string(let text)) where UUIDText.isValid(text): return .success(.uuid(text))
        case (.uuid, .string(let text)): return .failure(Message("\u{201C}\(text)\u{201D} is not a valid UUID."))
        default: return .failure(Message("Incorrect type. Expected pk value, received \(pythonType(raw))."))
        }
    }

    /// A reference's problem, as text (a `Result` needs an `Error`).
    public struct Message: Error, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// What is wrong with `value` for a field of `kind`, in DRF's words; nil when it is fine.
    static func problem(with value: JSONValue, kind: FieldKind) -> String? {
        if value == .null { return nil }
        switch (kind, value) {
        // DRF's CharField refuses NUL (and PostgreSQL cannot store it in text).
        case (.text, .string(let text)) where text.unicodeScalars.contains("\u{0}"): return "Null characters are not allowed."
        case (.text, .string): return nil
        case (.text, _): return "Not a valid string."
        case (.integer, .int): return nil
        case (.integer, _): return "A valid integer is required."
        case (.double, .int), (.double, .double): return nil
        case (.double, _): return "A valid number is required."
        case (.boolean, .bool): return nil
        case (.boolean, _): return "Must be a valid boolean."
        case (.date, .string(let text)) where Self.isDate(text): return nil
        case (.date, _): return "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
        case (.dateTime, .string(let text)) where Timestamp(iso: text) != nil: return nil
        case (.dateTime, _): return "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
        case (.duration, .string(let text)) where ISODuration.parse(text) != nil: return nil
        case (.duration, _): return "Duration has wrong format. Use an ISO 8601 duration, such as P1DT2H30M."
        case (.embeddedList, .array), (.embedded, _): return DataBounds.embeddedProblem(value)
        case (.embeddedList, _): return "Expected a list of items but got type \"\(pythonType(value))\"."
        case (.reference, _), (.referenceList, _), (.children, _), (.reverseList, _): return "This field is read-only."
        }
    }

    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let month = Int(parts[1]), let day = Int(parts[2]), Int(parts[0]) != nil
        else { return false }
        return (1...12).contains(month) && (1...31).contains(day)
    }

    /// The Python type name DRF's messages use for a JSON value.
    static func pythonType(_ value: JSONValue) -> String {
        switch value {
        case .null: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string: return "str"
        case .array: return "list"
        case .object: return "dict"
        }
    }
}

/// How an endpoint accepts writes (issue 16): present on the endpoints curators may write.
public struct WriteRules: Sendable {
    /// Keys a new object must have (and no write may set to null).
    public let required: [String]
    /// Values a new object takes for keys its body leaves out (Django's model defaults).
    public let defaults: [(String, JSONValue)]

    public init(required: [String], defaults: [(String, JSONValue)] = []) {
        self.required = required
        self.defaults = defaults
    }
}

/// UUID text as LL2 writes it (any case), checked without Foundation.
enum UUIDText {
    static func isValid(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }
}
