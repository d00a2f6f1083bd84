import PerigeeCore
import SQLKit

/// Fills the references the catalog infers (`Entity.inferred`) in SQL, inside the write's
/// transaction: a flight imported with only its launch gets that launch's rocket, so the rocket's
/// `spacecraft_stage` lists it; an agency gets the agency its `parent` names.
struct ReferenceInference {
    let db: any SQLDatabase

    /// One `UPDATE` per inferred reference (names come from the catalog, never from a client).
    func fill() async throws {
        for entity in Catalog.entities {
            for rule in entity.inferred {
                guard let targetName = entity.field(rule.key)?.target, let target = Catalog.entity(targetName) else { continue }
                switch rule.rule {
                case .through(let through):
                    try await fill(entity, rule.key, from: rule.from, through: through)
                case .named:
                    try await link(entity, rule.key, byName: rule.from, in: target)
                }
            }
        }
    }

    /// Only null references are filled, so a copy that names one wins.
    private func fill(_ entity: Entity, _ key: String, from: String, through: String) async throws {
        guard let source = entity.field(from)?.target else { return }
        let table = entity.name
        let key = key + "_id"
        let from = from + "_id"
        let through = through + "_id"
        try await db.raw(
            """
            UPDATE \(ident: table) SET \(ident: key) = (SELECT s.\(ident: through) FROM \(ident: source) s \
            WHERE s.id = \(ident: table).\(ident: from)) \
            WHERE \(ident: key) IS NULL AND EXISTS (SELECT 1 FROM \(ident: source) s \
            WHERE s.id = \(ident: table).\(ident: from) AND s.\(ident: through) IS NOT NULL)
            """
        ).run()
    }

    /// Points `key` at the `target` row named by the text column `name` (the lowest id when two share
    /// a name; null when none does), touching only the rows whose reference changes.
    private func link(_ entity: Entity, _ key: String, byName name: String, in target: Entity) async throws {
        let table = entity.name
        let key = key + "_id"
        let none = target.identifier.isText ? SQLLiteral.string("") : SQLLiteral.numeric("-1")
        try await db.raw(
            """
            UPDATE \(ident: table) SET \(ident: key) = (SELECT MIN(s.id) FROM \(ident: target.name) s \
            WHERE s.name = \(ident: table).\(ident: name)) \
            WHERE (\(ident: name) IS NOT NULL OR \(ident: key) IS NOT NULL) \
            AND COALESCE(\(ident: key), \(none)) <> COALESCE((SELECT MIN(s.id) FROM \(ident: target.name) s \
            WHERE s.name = \(ident: table).\(ident: name)), \(none))
            """
        ).run()
    }
}
