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
/// link): ids are positions, so the rows beyond the copy's length are the stale ones. Runs in the
/// import's transaction; returns how many rows it removed, so the import knows it changed the store.
enum PositionalLists {
    static func prune(_ lists: [PositionalList], on db: any SQLDatabase) async throws -> Int {
        var removed = 0
        for list in lists {
            var query = db.delete(from: list.entity).where(SQLIdentifier(list.column), .equal, SQLBind(list.owner.stored))
            if !list.kept.isEmpty {
                query = query.where(SQLIdentifier("id"), .notIn, SQLGroupExpression(list.kept.map { SQLBind($0.stored) }))
            }
            // Counted first: SQLKit's delete does not report affected rows on both databases alike.
            var count = db.select().column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("stale"))).from(list.entity)
                .where(SQLIdentifier(list.column), .equal, SQLBind(list.owner.stored))
            if !list.kept.isEmpty {
                count = count.where(SQLIdentifier("id"), .notIn, SQLGroupExpression(list.kept.map { SQLBind($0.stored) }))
            }
            let stale = try await count.first()?.decode(column: "stale", as: Int.self) ?? 0
            guard stale > 0 else { continue }
            try await query.run()
            removed += stale
        }
        return removed
    }
}
