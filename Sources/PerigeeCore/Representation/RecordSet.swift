/// Rows loaded for one response: every object a shape tree reaches, by entity and id, plus the
/// ordered members of each list field. Filled by the store in a fixed number of queries.
public struct RecordSet: Sendable {
    /// Entity name → id → column → value.
    public var rows: [String: [RecordID: [String: StoredValue]]] = [:]
    /// "entity.key" → owner id → ordered ids of the listed objects.
    public var lists: [String: [RecordID: [RecordID]]] = [:]
    /// Nested objects whose JSON was already made (their rows were not loaded): copied as they are.
    public var fragments: [FragmentKey: [UInt8]] = [:]

    public init() {}

    /// The row of `entity` with `id`, if loaded.
    public func row(_ entity: Entity, _ id: RecordID) -> [String: StoredValue]? { rows[entity.name]?[id] }

    /// The ids listed under a key made by `listKey`.
    public func list(_ listKey: String, owner: RecordID) -> [RecordID] { lists[listKey]?[owner] ?? [] }

    /// The key of `entity`'s list field `key` in `lists`.
    public static func listKey(_ entity: Entity, _ key: String) -> String { "\(entity.name).\(key)" }
}

/// A nested object in one shape.
public struct FragmentKey: Hashable, Sendable {
    let shape: ObjectIdentifier
    let id: RecordID

    public init(_ shape: Shape, _ id: RecordID) {
        self.shape = ObjectIdentifier(shape)
        self.id = id
    }
}
