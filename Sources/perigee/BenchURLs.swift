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

struct BenchURLs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-urls", abstract: "Print a benchmark URL mix (hot: a fixed set replayed; cold: all distinct).")

    @Option(help: "hot or cold.") var mix = "hot"
    @Option(help: "How many URLs.") var count = 500
    @Option(help: "Seed: the same seed gives the same URLs.") var seed: UInt64 = 7
    @OptionGroup var database: DatabaseOption

    func run() async throws {
        guard let kind = BenchmarkURLs.Mix(rawValue: mix) else { throw ValidationError("--mix is hot or cold") }
        let urls = try await database.withStore(migrate: false) { store in
            try await BenchmarkURLs(database: store).urls(kind, count: count, seed: seed)
        }
        print(urls.joined(separator: "\n"))
    }
}
