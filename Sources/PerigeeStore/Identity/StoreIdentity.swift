import Foundation
import PerigeeCore
import SQLKit

/// Who a store is: a random id and a block of curator ids of its own, both made once, when the store
/// is created (or first migrated). Two Perigees that sync from each other then never give a curator's
/// new object the same id, so a sync never overwrites one store's object with another's.
///
/// Blocks are `blockSize` ids each, from `Database.firstLocalID` up to `DataBounds.ids.upperBound`:
/// 2,097,151 of them, drawn at random, so two stores share one with odds of one in two million.
/// `GET /status` shows both, so an operator can check the stores they connect.
public struct StoreIdentity: Sendable, Equatable {
    public let id: String
    public let block: Int64

    static let table = "perigee_store_identity"
    /// 2^32 ids: more objects than any store will create.
    public static let blockSize: Int64 = 1 << 32
    public static let blockCount: Int64 = (DataBounds.ids.upperBound - Database.firstLocalID) / blockSize

    /// The ids this store gives new objects.
    public var ids: ClosedRange<Int64> {
        let start = Database.firstLocalID + block * Self.blockSize
        return start...(start + Self.blockSize - 1)
    }

    /// Creates the table and, for a store that has none yet, its identity.
    static func create(_ db: any SQLDatabase) async throws {
        try await db.create(table: table).ifNotExists()
            .column("store_id", type: .text, .notNull)
            .column("id_block", type: .bigint, .notNull)
            .run()
        guard try await db.select().column("store_id").from(table).first() == nil else { return }
        try await db.insert(into: table).columns("store_id", "id_block")
            .values(SQLBind(UUID().uuidString.lowercased()), SQLBind(Int64.random(in: 0..<blockCount))).run()
    }

    static func read(_ db: any SQLDatabase) async throws -> StoreIdentity {
        guard let row = try await db.select().columns("store_id", "id_block").from(table).first() else {
            throw StoreError(store: "", "the store has no identity: run `perigee migrate`")
        }
        return StoreIdentity(id: try row.decode(column: "store_id", as: String.self), block: try row.decode(column: "id_block", as: Int64.self))
    }
}

extension Database {
    /// This store's identity (`StoreIdentity`).
    public func identity() async throws -> StoreIdentity {
        try await withConnection { db in try await StoreIdentity.read(db) }
    }
}
