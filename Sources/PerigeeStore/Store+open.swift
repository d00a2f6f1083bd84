import Foundation
import Logging
import PerigeeCore

extension Database {
    /// Opens the store `perigee serve` uses: migrates it, and when it is a new SQLite file,
    /// loads the bundled dataset into it.
    public static func openForServing(_ location: DatabaseLocation, clock: PerigeeClock, logger: Logger) async throws -> Database {
        var isNew = false
        if case .sqlite(let path) = location { isNew = !FileManager.default.fileExists(atPath: path) }
        let database = try await Database.open(location, logger: logger)
        do {
            try await Migrator().migrate(database)
            if isNew {
                let outcomes = try await Importer(database: database, clock: clock).importFiles([BundledData.directory])
                for outcome in outcomes { logger.info("bundled data: \(outcome.summary)") }
                if let failed = outcomes.first(where: { !$0.succeeded }) {
                    throw ImportFailure(path: "", reason: "bundled data failed to import: \(failed.summary)")
                }
            }
            return database
        } catch {
            try? await database.shutdown()
            throw error
        }
    }
}
