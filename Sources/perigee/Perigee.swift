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

@main
struct Perigee: AsyncParsableCommand {
    /// Perigee's own version (`perigee --version`).
    static let version = "0.3.0"

    static let configuration = CommandConfiguration(
        abstract: "A self-hosted, drop-in compatible Launch Library 2 (2.3.0) server.",
        version: "perigee \(version) (Launch Library 2.3.0)",
        subcommands: [Serve.self, Import.self, Sync.self, Migrate.self, Keys.self, Generate.self, BenchURLs.self])
}
