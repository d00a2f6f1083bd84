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

/// The `--database` option every subcommand takes.
struct DatabaseOption: ParsableArguments {
    @Option(
        name: .long,
        help: "SQLite file path or postgres:// URL (default: $DATABASE_URL, else ./perigee.sqlite).")
    var database: String?

    /// The store named by the flag, `DATABASE_URL` or the default; an unsupported URL is an error.
    func location() throws -> DatabaseLocation {
        try DatabaseLocation.resolve(flag: database, environment: ProcessInfo.processInfo.environment)
    }

    /// Opens the store, runs `body`, and closes it whatever happens: a pool left open traps when
    /// released. Failures to open are one line naming the store and the reason (`StoreError`).
    func withStore<T: Sendable>(migrate: Bool = true, _ body: (Database) async throws -> T) async throws -> T {
        let location = try location()
        let store = try await Database.open(location)
        do {
            if migrate {
                do { try await Migrator().migrate(store) } catch { throw StoreError(location, StoreError.reason(of: error)) }
            }
            let result = try await body(store)
            try await store.shutdown()
            return result
        } catch {
            try? await store.shutdown()
            throw error
        }
    }
}
