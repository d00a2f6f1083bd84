/// Turns loaded rows into LL2 JSON with a shape: keys in the shape's order, values typed per field.
/// It writes compact JSON bytes directly (no intermediate `JSONValue` tree, which cost more than the
/// writing itself on large pages); `render` parses them back for the browsable page.
public struct ShapeRenderer: Sendable {
    public let records: RecordSet
    /// `scheme://host`, for `url`s.
    public let origin: String
    /// Whether `url`s carry `?format=api` (they do when the request had it).
    public let browsable: Bool
    /// The instant live figures are shown at.
    public let now: Timestamp
    /// Nested objects already written at this store version, origin and format, and where new ones go.
    public let fragments: (any NestedObjectCache)?

    public init(records: RecordSet, origin: String, browsable: Bool, now: Timestamp, fragments: (any NestedObjectCache)? = nil) {
        self.records = records
        self.origin = origin
        self.browsable = browsable
        self.now = now
        self.fragments = fragments
    }

    /// The object `id` in `shape`, or null when it was not loaded (a dangling reference).
    public func render(_ shape: Shape, id: RecordID) -> JSONValue {
        var live = false
        return render(shape, id: id, live: &live)
    }

    /// Renders, and sets `live` when a shown figure ticks with the clock (so the result is only true now).
    public func render(_ shape: Shape, id: RecordID, live: inout Bool) -> JSONValue {
        var out: [UInt8] = []
        write(shape, id: id, into: &out, live: &live)
        // The bytes were written by this type; parsing them cannot fail.
        return (try? JSONValue.parse(bytes: out)) ?? .null
    }

    /// Appends the object's compact JSON to `out` (`null` when it was not loaded), and sets `live`
    /// when a shown figure ticks with the clock.
    public func write(_ shape: Shape, id: RecordID, into out: inout [UInt8], live: inout Bool) {
        guard let row = records.row(shape.entity, id) else {
            out.append(contentsOf: "null".utf8)
            return
        }
        out.append(UInt8(ascii: "{"))
        for (index, member) in shape.members.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: shape.keyPrefixes[index])
            switch member {
            case .responseMode: JSONWriter.writeString(shape.responseMode ?? "", into: &out)
            case .id: Self.write(id, into: &out)
            case .url: writeURL(shape.entity, id, into: &out)
            case .field(let name):
                // Derived figures are kept up to date by the store (copies of the imported ones where
                // they cannot be computed), so they are always what is served.
                if let derived = shape.fieldFacts[index]?.derived {
                    if let rate = derived.rateColumn, (row[rate]?.integer ?? 0) != 0 { live = true }
                    Self.write(derived.value(in: row, now: now) ?? .null, kind: shape.fieldFacts[index]!.kind, into: &out)
                } else {
                    Self.write(row[name] ?? .null, kind: shape.fieldFacts[index]!.kind, into: &out)
                }
            case .object(_, let nested):
                if let target = row[shape.referenceColumns[index]!].flatMap({ RecordID($0, kind: nested.entity.identifier) }) {
                    writeNested(nested, id: target, into: &out, live: &live)
                } else {
                    out.append(contentsOf: "null".utf8)
                }
            case .list(_, let nested):
                let ids = records.list(shape.listKeys[index]!, owner: id)
                out.append(UInt8(ascii: "["))
                for (position, element) in ids.enumerated() {
                    if position > 0 { out.append(UInt8(ascii: ",")) }
                    writeNested(nested, id: element, into: &out, live: &live)
                }
                out.append(UInt8(ascii: "]"))
            case .first(_, let nested):
                if let first = records.list(shape.listKeys[index]!, owner: id).first {
                    writeNested(nested, id: first, into: &out, live: &live)
                } else {
                    out.append(contentsOf: "null".utf8)
                }
            case .group: break
            }
        }
        out.append(UInt8(ascii: "}"))
    }

    /// A nested object: as found while loading, or from `fragments` when it holds it, written and kept
    /// there otherwise (unless it shows live figures, or is a flat object cheaper to write than to look up).
    private func writeNested(_ shape: Shape, id: RecordID, into out: inout [UInt8], live: inout Bool) {
        if shape.nestsObjects, let bytes = records.fragments[FragmentKey(shape, id)] {
            out.append(contentsOf: bytes)
            return
        }
        guard let fragments, shape.nestsObjects, records.row(shape.entity, id) != nil else {
            write(shape, id: id, into: &out, live: &live)
            return
        }
        if let bytes = fragments.fragment(shape, id) {
            out.append(contentsOf: bytes)
            return
        }
        var part: [UInt8] = []
        var partLive = false
        write(shape, id: id, into: &part, live: &partLive)
        if partLive { live = true } else { fragments.keep(shape, id, part) }
        out.append(contentsOf: part)
    }

    /// The object's absolute detail URL (`?format=api` on the browsable page) as a JSON string, written
    /// without building a `String`: only the origin (from the request's headers) can need escaping, and
    /// its bytes are checked like any string's.
    private func writeURL(_ entity: Entity, _ id: RecordID, into out: inout [UInt8]) {
        JSONWriter.writeString(origin, into: &out)
        out.removeLast()  // the closing quote: the path follows
        out.append(contentsOf: APIPath.root.utf8)
        out.append(contentsOf: (entity.path ?? entity.name).utf8)
        out.append(UInt8(ascii: "/"))
        switch id {
        case .integer(let number): Self.writeDigits(number, into: &out)
        case .uuid(let text): out.append(contentsOf: text.utf8)  // hex digits and dashes
        }
        out.append(contentsOf: (browsable ? "/?format=api\"" : "/\"").utf8)
    }

    private static func write(_ id: RecordID, into out: inout [UInt8]) {
        switch id {
        case .integer(let number): writeDigits(number, into: &out)
        case .uuid(let text): JSONWriter.writeString(text, into: &out)
        }
    }

    /// The decimal digits of `number`, without making a `String`.
    static func writeDigits(_ number: Int64, into out: inout [UInt8]) {
        if number < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            out.append(contentsOf: buffer[(20 - count)...])
        }
    }

    /// A stored cell as LL2 writes the field.
    static func write(_ stored: StoredValue, kind: FieldKind, into out: inout [UInt8]) {
        switch (kind, stored) {
        case (.embeddedList, .null): out.append(contentsOf: "[]".utf8)
        case (_, .null): out.append(contentsOf: "null".utf8)
        case (.dateTime, .integer(let micros)): JSONWriter.writeString(Timestamp(microseconds: micros).iso8601, into: &out)
        case (.duration, .integer(let micros)): JSONWriter.writeString(ISODuration.format(microseconds: micros), into: &out)
        // Stored as compact JSON by the importer (`JSONWriter.compact`): copied as it is.
        case (.embedded, .text(let text)), (.embeddedList, .text(let text)): out.append(contentsOf: text.utf8)
        case (_, .integer(let number)): writeDigits(number, into: &out)
        case (_, .double(let number)): out.append(contentsOf: PythonFloat.repr(number).utf8)
        case (_, .text(let text)): JSONWriter.writeString(text, into: &out)
        case (_, .boolean(let flag)): out.append(contentsOf: (flag ? "true" : "false").utf8)
        }
    }
}

/// Compact JSON of nested objects, kept between responses: the renderer reads and fills it, the
/// loader skips the rows of what it holds. Its one implementation is the store snapshot's object
/// cache (scoped to one store version and link view); declared here, where the renderer needs it.
public protocol NestedObjectCache: Sendable {
    func fragment(_ shape: Shape, _ id: RecordID) -> [UInt8]?
    func keep(_ shape: Shape, _ id: RecordID, _ bytes: [UInt8])
}
