/// A value as it sits in a table cell, independent of the database that holds it.
public enum StoredValue: Sendable, Hashable, Encodable {
    case null
    case integer(Int64)
    case double(Double)
    case text(String)
    case boolean(Bool)

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .integer(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        case .boolean(let value): try container.encode(value)
        }
    }

    /// The integer, if this holds one.
    public var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The text, if this holds some.
    public var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    public var isNull: Bool { self == .null }
}

/// The primary key of a row: an integer for most entities, text for launches (a UUID) and for objects
/// identified by their place in their owner's list (`IdentifierKind.positional`).
public enum RecordID: Sendable, Hashable, Comparable, CustomStringConvertible {
    case integer(Int64)
    case uuid(String)

    public static func < (lhs: RecordID, rhs: RecordID) -> Bool {
        switch (lhs, rhs) {
        case (.integer(let a), .integer(let b)): return a < b
        case (.uuid(let a), .uuid(let b)): return a < b
        case (.integer, .uuid): return true
        case (.uuid, .integer): return false
        }
    }

    public var description: String {
        switch self {
        case .integer(let value): return String(value)
        case .uuid(let value): return value
        }
    }

    /// The id as a cell value.
    public var stored: StoredValue {
        switch self {
        case .integer(let value): return .integer(value)
        case .uuid(let value): return .text(value)
        }
    }

    /// The id as LL2 writes it in JSON.
    public var json: JSONValue {
        switch self {
        case .integer(let value): return .int(value)
        case .uuid(let value): return .string(value)
        }
    }

    /// Reads a cell as an id of `kind`.
    public init?(_ value: StoredValue, kind: IdentifierKind) {
        switch (value, kind) {
        case (.integer(let number), .integer): self = .integer(number)
        case (.text(let text), .uuid), (.text(let text), .positional): self = .uuid(text)
        default: return nil
        }
    }
}
