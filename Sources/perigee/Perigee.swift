import ArgumentParser
import Foundation
import Hummingbird
import Logging
import PerigeeCore
import PerigeeServer
import PerigeeStore

@main
struct Perigee: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A self-hosted, drop-in compatible Launch Library 2 (2.3.0) server.",
        subcommands: [Serve.self, Import.self, Migrate.self, Generate.self, BenchURLs.self])
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
    @Option(help: "trace, debug (adds every SQL statement), info, notice, warning, error or critical.")
    var logLevel: String = "info"
    @Option(help: "MiB of whole responses kept in memory.") var responseCacheMib = CacheSizes().responseMiB
    @Option(help: "MiB of objects' JSON kept in memory.") var objectCacheMib = CacheSizes().objectMiB
    @OptionGroup var database: DatabaseOption

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown log level '\(logLevel)'") }
        guard responseCacheMib >= 1, objectCacheMib >= 1 else { throw ValidationError("cache sizes are at least 1 MiB") }
    }

    func run() async throws {
        let configuration = PerigeeConfiguration(
            host: host, port: port, database: database.location, logLevel: Logger.Level(rawValue: logLevel) ?? .info,
            cacheSizes: CacheSizes(responseMiB: responseCacheMib, objectMiB: objectCacheMib))
        let app = try await buildApplication(configuration)
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


struct Generate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a synthetic dataset, SCALE times the size of the seeds, into a store (for benchmarks).")

    @Option(help: "How many times the seeds' size.") var scale = 1
    @Option(help: "Seed of the generator: the same seed gives the same data.") var seed: UInt64 = 42
    @OptionGroup var database: DatabaseOption

    func run() async throws {
        let store = try await Database.open(database.location)
        try await Migrator().migrate(store)
        let importer = Importer(database: store)
        let started = Date()
        var objects = 0
        let pages = SyntheticData(scale: scale, seed: seed).pages()
        for (index, page) in pages.enumerated() {
            let outcome = try await importer.importText(String(decoding: JSONWriter.compact(page), as: UTF8.self), named: "page \(index + 1)")
            objects += outcome.objectsRead
        }
        try await store.shutdown()
        print("Generated scale \(scale) (seed \(seed)): \(pages.count) pages, \(objects) objects in \(Int(Date().timeIntervalSince(started))) s")
    }
}

struct BenchURLs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-urls", abstract: "Print a benchmark URL mix (hot: a fixed set replayed; cold: all distinct).")

    @Option(help: "hot or cold.") var mix = "hot"
    @Option(help: "How many URLs.") var count = 500
    @Option(help: "Seed: the same seed gives the same URLs.") var seed: UInt64 = 7
    @OptionGroup var database: DatabaseOption

    func run() async throws {
        guard let kind = BenchmarkURLs.Mix(rawValue: mix) else { throw ValidationError("--mix is hot or cold") }
        let store = try await Database.open(database.location)
        let urls = try await BenchmarkURLs(database: store).urls(kind, count: count, seed: seed)
        try await store.shutdown()
        print(urls.joined(separator: "\n"))
    }
}
