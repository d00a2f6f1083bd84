import Synchronization

/// One serializer of LL2 (a schema of its spec, such as `SpacecraftNormal` or `AgencyMini`): which keys
/// an object of an entity shows, in which order, and how nested objects are shown. Shapes are data;
/// `RecordLoader` reads what they need and `ShapeRenderer` turns rows into JSON with them.
public final class Shape: Sendable {
    /// The spec's schema name, for docs and errors. Not unique: LL2's spec reuses a name for
    /// serializers that nest differently, so caches key by `identity`.
    public let name: String
    /// A number no other shape of this process has: what caches of rendered objects key by.
    public let identity: Int
    private static let made = Atomic<Int>(0)
    /// The entity this shape shows.
    public let entity: Entity
    /// What `response_mode` says, when the shape shows one (nested shapes show their own).
    public let responseMode: String?
    /// The keys, in LL2's order.
    public let members: [Member]
    /// Per member, what the renderer writes before its value: `"key":`.
    let keyPrefixes: [[UInt8]]
    /// Per scalar member, its field's kind and derivation, looked up once.
    let fieldFacts: [(kind: FieldKind, derived: DerivedField?)?]
    /// Per list member, its `RecordSet` list key (`entity.key`).
    let listKeys: [String?]
    /// Per nested-object member, the column holding the reference (`key_id`).
    let referenceColumns: [String?]
    /// Whether any member is a nested object or list (such objects are worth caching when nested).
    public let nestsObjects: Bool

    /// One key of a shape.
    public enum Member: Sendable {
        /// `response_mode`, with the shape's `responseMode`.
        case responseMode
        /// `id`.
        case id
        /// `url`: the object's absolute detail URL.
        case url
        /// A stored scalar field of the entity, written per its kind.
        case field(String)
        /// A reference field, shown as a nested object (or null).
        case object(String, Shape)
        /// A reference-list, children or reverse-list field, shown as an array of nested objects.
        case list(String, Shape)
        /// A children field shown as its first object, or null (a landing's `spacecraftflight`).
        case first(String, Shape)
        /// Several members in a row; flattened when the shape is made.
        indirect case group([Member])
    }

    /// The shape's whole tree of keys, nested shapes by their own trees: two shapes with the same
    /// signature write the same keys at every depth (the OpenAPI document gives them one schema).
    public var signature: String {
        name + "{"
            + members.map { member -> String in
                switch member {
                case .object(let key, let nested): return key + ":" + nested.signature
                case .list(let key, let nested): return key + ":[" + nested.signature + "]"
                case .first(let key, let nested): return key + ":first " + nested.signature
                default: return Self.key(of: member)
                }
            }.joined(separator: ",") + "}"
    }

    /// - Parameters:
    ///   - name: the spec schema name.
    ///   - entity: the catalog entity name; it must exist.
    ///   - responseMode: the `response_mode` value, if any member is `.responseMode`.
    ///   - members: the keys in order.
    public init(_ name: String, entity: String, mode responseMode: String? = nil, _ members: [Member]) {
        guard let resolved = Catalog.entity(entity) else { preconditionFailure("Shape \(name): no entity \(entity)") }
        self.name = name
        identity = Self.made.add(1, ordering: .relaxed).newValue
        self.entity = resolved
        self.responseMode = responseMode
        let flat = members.flatMap(Self.flatten)
        self.members = flat
        keyPrefixes = flat.map { member in
            var bytes: [UInt8] = []
            JSONWriter.writeString(Self.key(of: member), into: &bytes)
            bytes.append(UInt8(ascii: ":"))
            return bytes
        }
        fieldFacts = flat.map { member in
            guard case .field(let name) = member, let field = resolved.field(name) else { return nil }
            return (field.kind, resolved.derivedField(name))
        }
        listKeys = flat.map { member in
            switch member {
            case .list(let key, _), .first(let key, _): return RecordSet.listKey(resolved, key)
            default: return nil
            }
        }
        referenceColumns = flat.map { member in
            if case .object(let key, _) = member { return key + "_id" }
            return nil
        }
        nestsObjects = flat.contains { member in
            switch member {
            case .object, .list, .first: return true
            default: return false
            }
        }
    }

    private static func flatten(_ member: Member) -> [Member] {
        if case .group(let inner) = member { return inner.flatMap(flatten) }
        return [member]
    }

    /// The JSON key of a member.
    public static func key(of member: Member) -> String {
        switch member {
        case .responseMode: return "response_mode"
        case .id: return "id"
        case .url: return "url"
        case .field(let key), .object(let key, _), .list(let key, _), .first(let key, _): return key
        case .group: preconditionFailure("groups are flattened when a shape is made")
        }
    }

    /// Problems with this shape and the shapes it nests: keys the entity does not have, wrong kinds.
    public func problems() -> [String] {
        var found: [String] = []
        for member in members {
            switch member {
            case .responseMode where responseMode == nil: found.append("\(name): response_mode without a mode")
            case .url where entity.path == nil: found.append("\(name): url, but \(entity.name) has no path")
            case .field(let key):
                guard let field = entity.field(key) else {
                    found.append("\(name).\(key): no such field")
                    continue
                }
                if field.column == nil || field.target != nil { found.append("\(name).\(key): not a scalar") }
            case .object(let key, let nested):
                guard case .reference(let target)? = entity.field(key)?.kind, target == nested.entity.name else {
                    found.append("\(name).\(key): not a reference to \(nested.entity.name)")
                    continue
                }
                found += nested.problems()
            case .list(let key, let nested), .first(let key, let nested):
                guard let field = entity.field(key), field.column == nil, field.target == nested.entity.name else {
                    found.append("\(name).\(key): not a list of \(nested.entity.name)")
                    continue
                }
                found += nested.problems()
            default: break
            }
        }
        return found
    }
}

extension Shape.Member {
    /// Several scalar fields in a row.
    public static func fields(_ keys: String...) -> Shape.Member { .group(keys.map { .field($0) }) }
}
