import PerigeeCore
import SQLKit

/// Fills the references the catalog infers (`Entity.inferred`) in SQL, inside the write's
/// transaction: a flight imported with only its launch gets that launch's rocket, so the rocket's
/// `spacecraft_stage` lists it. Only null references are filled, so a copy that names one wins.
struct ReferenceInference {
    let db: any SQLDatabase

    /// One `UPDATE` per inferred reference, over the rows that still lack it (names come from the
    /// catalog, never from a client).
    func fill() async throws {
        for entity in Catalog.entities {
            for rule in entity.inferred {
                guard let source = entity.field(rule.from)?.target else { continue }
                let table = entity.name, key = rule.key + "_id", from = rule.from + "_id", through = rule.through + "_id"
                try await db.raw(
                    """
                    UPDATE \(ident: table) SET \(ident: key) = (SELECT s.\(ident: through) FROM \(ident: source) s \
                    WHERE s.id = \(ident: table).\(ident: from)) \
                    WHERE \(ident: key) IS NULL AND EXISTS (SELECT 1 FROM \(ident: source) s \
                    WHERE s.id = \(ident: table).\(ident: from) AND s.\(ident: through) IS NOT NULL)
                    """
                ).run()
            }
        }
    }
}
