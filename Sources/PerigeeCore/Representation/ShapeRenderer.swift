/// Turns loaded rows into LL2 JSON with a shape: keys in the shape's order, values typed per field.
public struct ShapeRenderer: Sendable {
    public let records: RecordSet
    /// `scheme://host`, for `url`s.
    public let origin: String
    /// Whether `url`s carry `?format=api` (they do when the request did).
    public let browsable: Bool
    /// The instant live figures are shown at.
    public let now: Timestamp

    public init(records: RecordSet, origin: String, browsable: Bool, now: Timestamp) {
        self.records = records
        self.origin = origin
        self.browsable = browsable
        self.now = now
    }

    /// The object `id` in `shape`, or null when it was not loaded (a dangling reference).
    public func render(_ shape: Shape, id: RecordID) -> JSONValue {
        var live = false
        return render(shape, id: id, live: &live)
    }

    /// Renders, and sets `live` when a shown figure ticks with the clock (so the result is only true now).
    public func render(_ shape: Shape, id: RecordID, live: inout Bool) -> JSONValue {
        guard let row = records.row(shape.entity, id) else { return .null }
        var members: [(String, JSONValue)] = []
        members.reserveCapacity(shape.members.count)
        for member in shape.members {
            let key = Shape.key(of: member)
            switch member {
            case .responseMode: members.append((key, .string(shape.responseMode ?? "")))
            case .id: members.append((key, id.json))
            case .url: members.append((key, .string(url(shape.entity, id))))
            case .field(let name):
                let field = shape.entity.field(name)!
                // Derived figures are kept up to date by the store (copies of the imported ones where
                // they cannot be computed), so they are always what is served.
                let stored: StoredValue
                if let derived = shape.entity.derivedField(name) {
                    stored = derived.value(in: row, now: now) ?? .null
                    if let rate = derived.rateColumn, (row[rate]?.integer ?? 0) != 0 { live = true }
                } else {
                    stored = row[name] ?? .null
                }
                members.append((key, Self.value(stored, kind: field.kind)))
            case .object(let name, let nested):
                guard let target = row[name + "_id"].flatMap({ RecordID($0, kind: nested.entity.identifier) }) else {
                    members.append((key, .null))
                    continue
                }
                members.append((key, render(nested, id: target, live: &live)))
            case .list(let name, let nested):
                let ids = records.list(shape.entity, name, owner: id)
                members.append((key, .array(ids.map { render(nested, id: $0, live: &live) })))
            case .first(let name, let nested):
                let first = records.list(shape.entity, name, owner: id).first
                members.append((key, first.map { render(nested, id: $0, live: &live) } ?? .null))
            case .group: break
            }
        }
        return .object(members)
    }

    /// The absolute detail URL of an object.
    public func url(_ entity: Entity, _ id: RecordID) -> String {
        "\(origin)/2.3.0/\(entity.path ?? entity.name)/\(id)/" + (browsable ? "?format=api" : "")
    }

    /// A stored cell as LL2 writes the field.
    static func value(_ stored: StoredValue, kind: FieldKind) -> JSONValue {
        switch (kind, stored) {
        case (.embeddedList, .null): return .array([])
        case (_, .null): return .null
        case (.dateTime, .integer(let micros)): return .string(Timestamp(microseconds: micros).iso8601)
        case (.duration, .integer(let micros)): return .string(ISODuration.format(microseconds: micros))
        case (.embedded, .text(let text)), (.embeddedList, .text(let text)): return (try? JSONValue.parse(text)) ?? .null
        case (_, .integer(let number)): return .int(number)
        case (_, .double(let number)): return .double(number)
        case (_, .text(let text)): return .string(text)
        case (_, .boolean(let flag)): return .bool(flag)
        }
    }
}
