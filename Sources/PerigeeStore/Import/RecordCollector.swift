import PerigeeCore

/// One object as the importer found it: the columns its copy carries and the lists it carries.
/// A key the copy lacks is absent here, so a less detailed copy never erases a field.
struct CollectedRecord: Sendable {
    var values: [String: StoredValue] = [:]
    var lists: [String: [RecordID]] = [:]

    mutating func merge(_ other: CollectedRecord) {
        values.merge(other.values) { _, new in new }
        lists.merge(other.lists) { _, new in new }
    }
}

/// Walks LL2 JSON and gathers every object, nested ones included, merged by entity and id.
struct RecordCollector {
    /// Entity name → id → merged record.
    private(set) var records: [String: [RecordID: CollectedRecord]] = [:]
    /// How many objects were read (every copy counts).
    private(set) var objectsRead = 0
    /// The lists of positional objects the body gave in full (`IdentifierKind.positional`): after the
    /// write, an owner's entries beyond these are removed (`PositionalLists.prune`).
    private(set) var positionalLists: [PositionalList] = []
    /// The stamp given to live figures read now.
    let importedAt: Timestamp

    init(importedAt: Timestamp) { self.importedAt = importedAt }

    /// Collects a list page (`results`) or a single object of `entity`.
    mutating func collect(document: JSONValue, as entity: Entity) throws {
        if let results = document["results"] {
            guard let elements = results.arrayElements else {
                throw ImportFailure(path: "results", reason: "expected an array, found \(results.typeName)")
            }
            for (index, element) in elements.enumerated() {
                _ = try collect(element, as: entity, at: "results[\(index)]")
            }
        } else {
            _ = try collect(document, as: entity, at: "")
        }
    }

    /// Collects one element of a list page's `results` (read one at a time: `StreamedBody`).
    mutating func collect(result: JSONValue, at index: Int, as entity: Entity) throws {
        _ = try collect(result, as: entity, at: "results[\(index)]")
    }

    /// - Parameter enclosing: the nearest enclosing object of each entity (entity name → id), for
    ///   the references a nested copy leaves out (`Entity.inherited`).
    private mutating func collect(
        _ value: JSONValue, as entity: Entity, at path: String, owner: (column: String, id: RecordID)? = nil,
        enclosing: [String: RecordID] = [:], position: RecordID? = nil
    ) throws -> RecordID {
        guard let members = value.objectMembers else {
            throw ImportFailure(path: path, reason: "expected an object, found \(value.typeName)")
        }
        let id = try position ?? identifier(of: value, entity: entity, at: path)
        objectsRead += 1
        var record = CollectedRecord()
        if let owner { record.values[owner.column] = owner.id.stored }
        for key in entity.inherited where value[key] == nil {
            if let target = entity.field(key)?.target, let id = enclosing[target] { record.values[key + "_id"] = id.stored }
        }
        var enclosing = enclosing
        enclosing[entity.name] = id
        for (key, member) in members where key != "id" {
            guard let field = entity.field(key) else { continue }  // response_mode, url, keys Perigee does not store
            let memberPath = path.isEmpty ? key : "\(path).\(key)"
            switch field.kind {
            case .reference(let targetName):
                if case .null = member {
                    record.values[field.key + "_id"] = .null
                } else {
                    let target = Catalog.entity(targetName)!
                    record.values[field.key + "_id"] = try collect(member, as: target, at: memberPath, enclosing: enclosing).stored
                }
            case .referenceList(let targetName):
                let target = Catalog.entity(targetName)!
                record.lists[key] = try elements(of: member, at: memberPath).enumerated().map { index, element in
                    try collect(element, as: target, at: "\(memberPath)[\(index)]", enclosing: enclosing)
                }
            case .children(let targetName, let via, _):
                let target = Catalog.entity(targetName)!
                // A reverse to-one (a landing's `spacecraftflight`) arrives as one object or null.
                if case .null = member { continue }
                if case .object = member {
                    _ = try collect(member, as: target, at: memberPath, owner: (via + "_id", id), enclosing: enclosing)
                    continue
                }
                var kept: [RecordID] = []
                for (index, element) in try elements(of: member, at: memberPath).enumerated() {
                    let position = target.identifier == .positional ? Self.positionalID(entity, id, key, index) : nil
                    kept.append(
                        try collect(
                            element, as: target, at: "\(memberPath)[\(index)]", owner: (via + "_id", id), enclosing: enclosing,
                            position: position))
                }
                if target.identifier == .positional {
                    positionalLists.append(PositionalList(entity: target.name, column: via + "_id", owner: id, kept: kept))
                }
            case .reverseList(let targetName, _):
                // The objects are stored; which lists hold this one is their own copy's business.
                let target = Catalog.entity(targetName)!
                for (index, element) in try elements(of: member, at: memberPath).enumerated() {
                    _ = try collect(element, as: target, at: "\(memberPath)[\(index)]", enclosing: enclosing)
                }
            default:
                let stored = try Self.scalar(member, kind: field.kind, at: memberPath)
                record.values[key] = stored
                if SearchColumns.isFolded(field, of: entity) {
                    record.values[SearchColumns.foldedName(of: key)] = SearchColumns.foldedText(of: stored).map(StoredValue.text) ?? .null
                }
            }
        }
        if let stamp = entity.importStamp, stamp.keys.contains(where: { value[$0] != nil }) {
            record.values[stamp.column] = .integer(importedAt.microseconds)
        }
        records[entity.name, default: [:]][id, default: CollectedRecord()].merge(record)
        return id
    }

    /// The id of the `index`th object of `owner`'s list `key`: zero-padded, so ids sort in list order.
    static func positionalID(_ owner: Entity, _ id: RecordID, _ key: String, _ index: Int) -> RecordID {
        let padded = String(index)
        return .uuid("\(owner.name):\(id):\(key):" + String(repeating: "0", count: max(0, 4 - padded.count)) + padded)
    }

    private func elements(of value: JSONValue, at path: String) throws -> [JSONValue] {
        guard let elements = value.arrayElements else {
            throw ImportFailure(path: path, reason: "expected an array, found \(value.typeName)")
        }
        return elements
    }

    private func identifier(of value: JSONValue, entity: Entity, at path: String) throws -> RecordID {
        let idPath = path.isEmpty ? "id" : "\(path).id"
        guard let raw = value["id"] else { throw ImportFailure(path: idPath, reason: "missing id") }
        switch (entity.identifier, raw) {
        case (.integer, .int(let number)) where DataBounds.isValidID(number): return .integer(number)
        case (.integer, .int(let number)): throw ImportFailure(path: idPath, reason: "id \(number) is outside 0…2^53−1")
        case (.uuid, .string(let text)) where !text.isEmpty: return .uuid(text)
        case (.integer, _): throw ImportFailure(path: idPath, reason: "expected an integer id, found \(raw.typeName)")
        case (.uuid, _): throw ImportFailure(path: idPath, reason: "expected a UUID string id, found \(raw.typeName)")
        case (.positional, _): throw ImportFailure(path: path, reason: "\(entity.modelName) objects are known only in their owner's list")
        }
    }

    /// Converts a JSON scalar to its stored form, checking its type against the field's kind.
    static func scalar(_ value: JSONValue, kind: FieldKind, at path: String) throws -> StoredValue {
        if case .null = value { return .null }
        func mismatch(_ expected: String) -> ImportFailure {
            ImportFailure(path: path, reason: "expected \(expected), found \(value.typeName)")
        }
        switch (kind, value) {
        case (.text, .string(let text)), (.date, .string(let text)):
            // PostgreSQL cannot store NUL in text; SQLite could, so both refuse it alike.
            guard !text.unicodeScalars.contains("\u{0}") else { throw ImportFailure(path: path, reason: "a NUL character in text") }
            return .text(text)
        case (.integer, .int(let number)): return .integer(number)
        case (.double, .double(let number)): return .double(number)
        case (.double, .int(let number)): return .double(Double(number))
        case (.boolean, .bool(let flag)): return .boolean(flag)
        case (.dateTime, .string(let text)):
            guard let instant = Timestamp(iso: text) else {
                throw ImportFailure(path: path, reason: "'\(text)' is not an ISO 8601 date-time")
            }
            return .integer(instant.microseconds)
        case (.duration, .string(let text)):
            guard let micros = ISODuration.parse(text) else {
                throw ImportFailure(path: path, reason: "'\(text)' is not an ISO 8601 duration")
            }
            return .integer(micros)
        case (.embedded, _), (.embeddedList, .array):
            if let problem = DataBounds.embeddedProblem(value) { throw ImportFailure(path: path, reason: problem) }
            return .text(String(decoding: JSONWriter.compact(value), as: UTF8.self))
        case (.embeddedList, _): throw mismatch("an array")
        case (.text, _), (.date, _): throw mismatch("a string")
        case (.integer, _): throw mismatch("an integer")
        case (.double, _): throw mismatch("a number")
        case (.boolean, _): throw mismatch("a boolean")
        case (.dateTime, _): throw mismatch("a date-time string")
        case (.duration, _): throw mismatch("a duration string")
        case (.reference, _), (.referenceList, _), (.children, _), (.reverseList, _): throw mismatch("an object")
        }
    }
}
