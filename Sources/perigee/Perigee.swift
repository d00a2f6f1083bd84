import ArgumentParser
import Foundation
import Hummingbird
import Logging
import PerigeeServer
import PerigeeStore

@main
struct Perigee: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A self-hosted, drop-in compatible Launch Library 2 (2.3.0) server.",
        subcommands: [Serve.self, Import.self, Migrate.self])
}

/// The `--database` option every subcommand takes.
struct DatabaseOption: ParsableArguments {
    @Option(
        name: .long,
        help: "SQLite file path or postgres:// URL (default: $DATABASE_URL, else ./perigee.sqlite).")
    var database: String?

    var location: DatabaseLocation {
        DatabaseLocation.resolve(flag: database, environment: ProcessInfo.processInfo.environment)
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the API (migrates first; a new SQLite store gets the bundled data).")

    @Option(help: "Interface to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @OptionGroup var database: DatabaseOption

    func run() async throws {
        let app = try await buildApplication(PerigeeConfiguration(host: host, port: port, database: database.location))
        try await app.runService()
    }
}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import LL2 JSON files or browsable captures (a directory imports every file in it).")

    @Argument(help: "Files or directories.") var paths: [String]
    @OptionGroup var database: DatabaseOption

    func run() async throws {
        let store = try await Database.open(database.location)
        try await Migrator().migrate(store)
        let started = Date()
        let isTerminal = isatty(STDERR_FILENO) != 0
        let outcomes = try await Importer(database: store).importFiles(paths) { progress in
            print(progress.lastFile.summary)
            if isTerminal {
                let rate = Int(Double(progress.objectsRead) / max(Date().timeIntervalSince(started), 0.001))
                FileHandle.standardError.write(
                    Data("  [\(progress.filesDone)/\(progress.filesTotal) files, \(progress.objectsRead) objects, \(rate) objects/s]\n".utf8))
            }
        }
        var totals: [String: EntityChanges] = [:]
        for outcome in outcomes { for (entity, change) in outcome.changes ?? [:] { totals[entity, default: .init()].add(change) } }
        let objects = outcomes.reduce(0) { $0 + $1.objectsRead }
        let seconds = max(Date().timeIntervalSince(started), 0.001)
        let perEntity = totals.sorted { $0.key < $1.key }.map { "\($0.key) +\($0.value.created) ~\($0.value.updated)" }
        print(
            "Imported \(outcomes.filter(\.succeeded).count)/\(outcomes.count) files, \(objects) objects "
                + "(\(Int(Double(objects) / seconds)) objects/s): " + perEntity.joined(separator: ", "))
        try await store.shutdown()
        if outcomes.contains(where: { !$0.succeeded }) { throw ExitCode.failure }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or update the store's tables.")

    @OptionGroup var database: DatabaseOption

    func run() async throws {
        let store = try await Database.open(database.location)
        let report = try await Migrator().migrate(store)
        try await store.shutdown()
        print(
            report.changedAnything
                ? "Migrated \(database.location): \(report.createdTables.count) tables created, \(report.addedColumns.count) columns added."
                : "\(database.location) is up to date.")
    }
}

