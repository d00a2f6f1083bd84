import PerigeeCore
import SQLKit

/// Keeps the derived figures of first-stage cores in step with their stages (`LauncherStatistics`):
/// inside an import's transaction for the cores it may have changed, and over the whole store as a
/// migration step. Writes a row only when its figures change.
struct LauncherStatisticsRefresher {
    let db: any SQLDatabase
    private static let launcher = Catalog.entity("launcher")!
    private var shared: StatisticsRefresher { StatisticsRefresher(db: db) }

    /// Refreshes the cores an import touched: imported cores, the cores of imported stages, and the
    /// cores of the stages of imported launches and landings (a new `net`, a landing's outcome).
    func refresh(touching records: [String: [RecordID: CollectedRecord]]) async throws {
        var ids = Set(records["launcher"]?.keys ?? [:].keys)
        for (entity, column) in [("first_stage", "id"), ("launch", "launch_id"), ("landing", "landing_id")] {
            guard let touched = records[entity]?.keys, !touched.isEmpty else { continue }
            ids.formUnion(try await shared.ids(of: "launcher_id", from: "first_stage", where: column, in: Array(touched), kind: .integer))
        }
        try await refresh(Array(ids))
    }

    /// Refreshes every core.
    func refreshAll() async throws {
        let ids = try await db.select().column("id").from("launcher").all()
            .compactMap { RecordID(try $0.storedValue("id", type: .bigint), kind: .integer) }
        try await refresh(ids)
    }

    private func refresh(_ ids: [RecordID]) async throws {
        let sorted = ids.sorted()
        for start in stride(from: 0, to: sorted.count, by: StatisticsRefresher.chunkSize) {
            let chunk = Array(sorted[start..<min(start + StatisticsRefresher.chunkSize, sorted.count)])
            let rows = try await shared.rows(of: Self.launcher, ids: chunk)
            let launchers = rows.map { id, row in
                LauncherStatistics.Launcher(id: id, imported: row.filter { key, _ in Self.launcher.derivedField(key) != nil })
            }
            let derived = LauncherStatistics.derive(launchers: launchers, stages: try await stages(of: chunk))
            try await shared.write(derived, into: Self.launcher, current: rows)
        }
    }

    /// The stages of `launchers`, each with its launch's `net` and its landing's outcome, in one query.
    private func stages(of launchers: [RecordID]) async throws -> [LauncherStatistics.Stage] {
        guard !launchers.isEmpty else { return [] }
        func column(_ name: String, _ table: String) -> SQLColumn { SQLColumn(SQLIdentifier(name), table: SQLIdentifier(table)) }
        let rows = try await db.select()
            .columns(column("launcher_id", "s"), column("net", "l"), column("attempt", "d"), column("success", "d"))
            .from(SQLAlias(SQLIdentifier("first_stage"), as: SQLIdentifier("s")))
            .join(
                SQLAlias(SQLIdentifier("launch"), as: SQLIdentifier("l")), method: SQLJoinMethod.left,
                on: SQLBinaryExpression(column("id", "l"), .equal, column("launch_id", "s"))
            )
            .join(
                SQLAlias(SQLIdentifier("landing"), as: SQLIdentifier("d")), method: SQLJoinMethod.left,
                on: SQLBinaryExpression(column("id", "d"), .equal, column("landing_id", "s"))
            )
            .where(column("launcher_id", "s"), .in, SQLGroupExpression(launchers.map { SQLBind($0.stored) }))
            .all()
        return try rows.compactMap { row in
            guard let launcher = RecordID(try row.storedValue("launcher_id", type: .bigint), kind: .integer) else { return nil }
            return LauncherStatistics.Stage(
                launcher: launcher, net: try row.storedValue("net", type: .bigint).integer,
                landingAttempted: try row.storedValue("attempt", type: .boolean) == .boolean(true),
                landingSucceeded: try row.storedValue("success", type: .boolean) == .boolean(true))
        }
    }
}
