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

struct Generate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a synthetic dataset, SCALE times the size of the seeds, into a store (for benchmarks).")

    @Option(help: "How many times the seeds' size.") var scale = 1
    @Option(help: "Seed of the generator: the same seed gives the same data.") var seed: UInt64 = 42
    @OptionGroup var database: DatabaseOption

    func run() async throws {
        let started = Date()
        let data = SyntheticData(scale: scale, seed: seed)
        let pages = data.pages()
        let lookups = data.lookupPages()
        let objects = try await database.withStore { store in
            let importer = Importer(database: store)
            var objects = 0
            for (index, page) in pages.enumerated() {
                let outcome = try await importer.importText(String(decoding: JSONWriter.compact(page), as: UTF8.self), named: "page \(index + 1)")
                objects += outcome.objectsRead
            }
            for (path, page) in lookups {
                objects += try await importer.importBody(page, servedAt: path, named: "generated " + path).objectsRead
            }
            return objects
        }
        print(
            "Generated scale \(scale) (seed \(seed)): \(pages.count + lookups.count) pages, \(objects) objects in \(Int(Date().timeIntervalSince(started))) s"
        )
    }
}
