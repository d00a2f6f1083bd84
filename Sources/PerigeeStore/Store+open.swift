import Foundation
import Logging
import PerigeeCore

extension Database {
    /// Makes an open store ready for `perigee serve`: migrates it, and when it is a new SQLite file,
    /// loads the bundled dataset into it (one transaction per file, so a retry after a failure
    /// finds either the whole file or none of it).
    public static func prepareForServing(_ database: Database, loadBundledData: Bool, clock: PerigeeClock, logger: Logger) async throws {
        try await database.checkConnection()
        try await Migrator().migrate(database)
        guard loadBundledData else { return }
        let outcomes = try await Importer(database: database, clock: clock).importFiles([BundledData.directory])
        for outcome in outcomes { logger.info("bundled data: \(outcome.summary)") }
        if let failed = outcomes.first(where: { !$0.succeeded }) {
            throw ImportFailure(path: "", reason: "bundled data failed to import: \(failed.summary)")
        }
    }
}
