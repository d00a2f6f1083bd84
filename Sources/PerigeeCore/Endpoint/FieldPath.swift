/// A Django-style field path such as `flight_vehicle_chaser__spacecraft__name`, resolved against
/// the catalog: zero or more references to follow, then the field at the end.
public struct FieldPath: Sendable, CustomStringConvertible {
    /// The path as written (`spacecraft_config__name`).
    public let text: String
    /// The references followed, from the root entity: (entity holding the reference, reference field).
    public let hops: [(entity: Entity, field: Field)]
    /// The entity holding the final field, and that field.
    public let leafEntity: Entity
    public let leaf: Field

    public var description: String { text }

    /// Resolves `text` from `root`; nil when a step is not a field, or an inner step is not a reference.
    public init?(_ text: String, from root: Entity) {
        var entity = root
        var hops: [(entity: Entity, field: Field)] = []
        let parts = text.split(separator: "__", omittingEmptySubsequences: false).map(String.init)
        for (position, part) in parts.enumerated() {
            guard let field = entity.field(part) else {
                // `x__id` is the id of the object `x` points at: the reference column itself
                // (children have no such column: their own `id` is read).
                if part == "id", position == parts.count - 1, let last = hops.last, !last.field.isChildren {
                    hops.removeLast()
                    self.text = text
                    self.hops = hops
                    self.leafEntity = last.entity
                    self.leaf = last.field
                    return
                }
                if part == "id", position == parts.count - 1 {
                    self.text = text
                    self.hops = hops
                    self.leafEntity = entity
                    self.leaf = Field("id", entity.identifier.isText ? .text : .integer)
                    return
                }
                return nil
            }
            if position == parts.count - 1 {
                self.text = text
                self.hops = hops
                self.leafEntity = entity
                self.leaf = field
                return
            }
            switch field.kind {
            case .reference(let targetName), .referenceList(let targetName), .children(let targetName, _, _):
                guard let target = Catalog.entity(targetName) else { return nil }
                hops.append((entity, field))
                entity = target
            default:
                return nil
            }
        }
        return nil
    }

    /// The derived field the leaf is served from, when the leaf is computed (`time_in_space`).
    public var derived: DerivedField? { leafEntity.derivedField(leaf.key) }

    /// The column filters and orderings read: the derived column for a computed field (so they agree
    /// with what is served), the field's own column otherwise.
    public var storageColumn: String? { derived?.column ?? leaf.column }

    /// Whether the path goes through a to-many step (a list such as `owners__name`, or children such
    /// as `spacecraftflight__spacecraft__id`) or ends in a list (`agencies`): such a path matches when
    /// any of the many matches, and is queried with `EXISTS` rather than a join.
    public var throughList: Bool {
        if case .referenceList = leaf.kind { return true }
        return hops.contains { Self.isToMany($0.field) }
    }

    static func isToMany(_ field: Field) -> Bool {
        switch field.kind {
        case .referenceList, .children: return true
        default: return false
        }
    }

    /// Why the SQL layer cannot query this path, if it cannot: a to-many step may only come first
    /// (then to-one steps may follow), or be the leaf itself with no step before it.
    public var unsupportedReason: String? {
        guard throughList else { return nil }
        if case .referenceList = leaf.kind { return hops.isEmpty ? nil : "\(text): a list after another step" }
        if hops.dropFirst().contains(where: { Self.isToMany($0.field) }) { return "\(text): a to-many step after the first" }
        return nil
    }
}
