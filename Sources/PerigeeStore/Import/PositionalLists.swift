import PerigeeCore
import SQLKit

/// One owner's list of positional objects as a body gave it (`IdentifierKind.positional`): the rows
/// of `entity` whose `column` is `owner` should be exactly `kept`.
struct PositionalList: Sendable {
    let entity: String
    let column: String
    let owner: RecordID
    let kept: [RecordID]
}

/// Removes the entries a shorter copy of a positional list no longer has (a launch that lost a video
/// link). Runs in the import's transaction; returns how many rows it removed, so the import knows it
/// changed the store.
enum PositionalLists {
    /// Owners per statement, well under SQLite's bound-parameter limit with their kept ids.
    static let chunkSize = 200

    /// One `DELETE … RETURNING` per kind of list and chunk of owners, not one per owner: a positional id
    /// names its owner, so "not among any kept id" is "not in its own owner's copy".
    static func prune(_ lists: [PositionalList], on db: any SQLDatabase) async throws -> Int {
        var removed = 0
        let byKind = Dictionary(grouping: lists) { "\($0.entity).\($0.column)" }
        for (_, group) in byKind.sorted(by: { $0.key < $1.key }) {
            for start in stride(from: 0, to: group.count, by: chunkSize) {
                let chunk = group[start..<min(start + chunkSize, group.count)]
                let kept = chunk.flatMap(\.kept)
                var query = db.delete(from: chunk.first!.entity)
                    .where(SQLIdentifier(chunk.first!.column), .in, SQLGroupExpression(chunk.map { SQLBind($0.owner.stored) }))
                if !kept.isEmpty { query = query.where(SQLIdentifier("id"), .notIn, SQLGroupExpression(kept.map { SQLBind($0.stored) })) }
                removed += try await query.returning("id").all().count
            }
        }
        return removed
    }
}
