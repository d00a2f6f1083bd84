import PerigeeCore
import SQLKit

/// Stores collected records inside a write's transaction, with everything that follows from them:
/// the change log, inferred references, positional lists, derived figures, the search index, the
/// objects' sources and the store's version. Imports, the sync and curators' writes all go through
/// it, so each of them leaves the store as consistent as the others do.
struct RecordApplier {
    let db: any SQLDatabase

    /// Applies `collected`, done by `source` at `at`; `alongside` writes in the same transaction.
    func apply(
        _ collected: RecordCollector, source: String, at: Timestamp,
        alongside: (@Sendable (any SQLDatabase) async throws -> Void)? = nil
    ) async throws -> [String: EntityChanges] {
        let records = collected.records
        let (changes, log) = try await RecordWriter(db: db, at: at).write(records)
        try await ChangeLog.record(log, actor: source, at: at, on: db)
        try await ReferenceInference(db: db).fill()
        let pruned = try await PositionalLists.prune(collected.positionalLists, on: db)
        try await StatisticsRefresher(db: db).refresh(touching: records)
        try await LauncherStatisticsRefresher(db: db).refresh(touching: records)
        try await SearchIndex(db: db).rebuild(touching: Set(records.keys))
        try await ObjectSources.record(source, for: records, on: db)
        try await alongside?(db)
        if pruned > 0 || !log.isEmpty { try await Generation.bump(db) }
        return changes
    }
}
