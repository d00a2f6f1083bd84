import ArgumentParser
import Foundation
import Hummingbird
import Logging
import PerigeeBenchmark
import PerigeeCore
import PerigeeServer
import PerigeeStore
import PerigeeSync
import ServiceLifecycle

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or update the store's tables.")

    @OptionGroup var database: DatabaseOption

    func run() async throws {
        let location = try database.location()
        let report = try await database.withStore(migrate: false) { store in
            do { return try await Migrator().migrate(store) } catch { throw StoreError(location, StoreError.reason(of: error)) }
        }
        print(
            report.changedAnything
                ? "Migrated \(location): \(report.createdTables.count) tables created, \(report.addedColumns.count) columns added."
                : "\(location) is up to date.")
    }
}
