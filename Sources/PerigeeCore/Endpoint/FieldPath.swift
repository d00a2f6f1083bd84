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
                // `x__id` is the id of the object `x` points at: the reference column itself.
                if part == "id", position == parts.count - 1, let last = hops.popLast() {
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
                    self.leaf = Field("id", entity.identifier == .integer ? .integer : .text)
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
            case .reference(let targetName), .referenceList(let targetName):
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

    /// Whether the path goes through a list (`owners__name`) or ends in one (`agencies`): such a path
    /// matches when any listed object matches, and is queried with `EXISTS` rather than a join.
    public var throughList: Bool {
        if case .referenceList = leaf.kind { return true }
        return hops.contains { if case .referenceList = $0.field.kind { return true } else { return false } }
    }

    /// Why the SQL layer cannot query this path, if it cannot: a list may only be the first step, or
    /// the leaf itself, and a path through a list ends right after it.
    public var unsupportedReason: String? {
        guard throughList else { return nil }
        if case .referenceList = leaf.kind, hops.isEmpty { return nil }
        if hops.count == 1, case .referenceList = hops[0].field.kind {
            if case .referenceList = leaf.kind { return "\(text): a list inside a list" }
            return nil
        }
        return "\(text): a list must be the first step"
    }
}
