/// Case-folded copies of searched text columns, gathered into each endpoint's search index
/// (`SearchIndex`), where search compares them with a folded term. SQLite's own case folding covers
/// ASCII only, and LL2's data holds Cyrillic and other scripts, so the store folds with Swift's
/// Unicode-aware lowercasing, the same on both databases.
public enum SearchColumns {
    /// The name of the folded copy of column `column`.
    public static func foldedName(of column: String) -> String { column + "__folded" }

    /// The folded columns `entity`'s table carries: one per text field some endpoint searches.
    public static func folded(for entity: Entity) -> [String] {
        foldedFields[entity.name, default: []].map(foldedName(of:))
    }

    /// Whether `field` of `entity` has a folded copy.
    public static func isFolded(_ field: Field, of entity: Entity) -> Bool {
        foldedFields[entity.name, default: []].contains(field.key)
    }

    /// The text a folded column holds for `text`.
    public static func fold(_ text: String) -> String { text.lowercased() }

    /// The folded text of a stored value: text folded, a number as its digits (LL2 searches some counts).
    public static func foldedText(of value: StoredValue) -> String? {
        switch value {
        case .text(let text): return fold(text)
        case .integer(let number): return String(number)
        default: return nil
        }
    }

    private static let foldedFields: [String: [String]] = {
        var result: [String: [String]] = [:]
        for endpoint in Endpoints.all {
            for path in endpoint.searchPaths where !result[path.leafEntity.name, default: []].contains(path.leaf.key) {
                result[path.leafEntity.name, default: []].append(path.leaf.key)
            }
        }
        return result
    }()
}
