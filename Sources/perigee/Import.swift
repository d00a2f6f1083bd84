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

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import LL2 JSON files or browsable captures (a directory imports every file in it).")

    @Argument(help: "Files or directories.") var paths: [String]
    @OptionGroup var database: DatabaseOption

    func run() async throws {
        let started = Date()
        let isTerminal = isatty(STDERR_FILENO) != 0
        let outcomes = try await database.withStore { store in
            try await Importer(database: store).importFiles(paths) { progress in
                // A failure goes to stderr, so that a cron job keeping only stderr sees it.
                if progress.lastFile.succeeded { print(progress.lastFile.summary) } else { Diagnostics.line(progress.lastFile.summary) }
                if isTerminal {
                    let rate = Int(Double(progress.objectsRead) / max(Date().timeIntervalSince(started), 0.001))
                    FileHandle.standardError.write(
                        Data("  [\(progress.filesDone)/\(progress.filesTotal) files, \(progress.objectsRead) objects, \(rate) objects/s]\n".utf8))
                }
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
        let failed = outcomes.filter { !$0.succeeded }.count
        if failed > 0 {
            Diagnostics.line("perigee import: \(failed) of \(outcomes.count) files failed and wrote nothing")
            throw ExitCode.failure
        }
    }
}
