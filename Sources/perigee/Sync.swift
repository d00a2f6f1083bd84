import ArgumentParser
import Foundation
import Logging
import PerigeeCore
import PerigeeStore
import PerigeeSync

struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mirror an upstream LL2 (or another Perigee) into the store: one pass, resumed if the last one was cut off.",
        discussion: "README.md, section \"Syncing from LL2\", explains the pass.")

    @Option(help: "Upstream base URL: https://ll.thespacedevs.com, https://lldev.thespacedevs.com or another Perigee.")
    var from: String
    @Option(help: "An upstream API key, sent as Authorization: Token KEY.") var token: String?
    @Option(help: "List endpoints to walk, comma-separated (default: spacecraft,spacecraft_flights,docking_events).")
    var endpoints: String?
    @Option(help: "Attempts per URL before it is recorded as failed.") var attempts = RetryPolicy().attempts
    @Option(help: "Seconds before the first retry; each next one waits twice as long, with jitter.") var retryWait: Double = 1
    @Option(help: "Seconds one upstream answer may take.") var timeout = 30
    @Flag(help: "Fetch every object's detail route again (with If-None-Match), not only objects new to the store.") var full = false
    @OptionGroup var database: DatabaseOption

    func validate() throws {
        guard SyncOptions.origin(of: from) != nil else {
            throw ValidationError("--from must be an http(s) base URL such as https://ll.thespacedevs.com, not '\(from)'")
        }
        if let endpoints, case .failure(let unknown) = SyncOptions.endpoints(named: endpoints) { throw ValidationError(unknown.description) }
        guard attempts >= 1, attempts <= 100 else { throw ValidationError("--attempts is 1 to 100") }
        guard retryWait >= 0, retryWait <= 3600 else { throw ValidationError("--retry-wait is 0 to 3600 seconds") }
        guard timeout >= 1, timeout <= 3600 else { throw ValidationError("--timeout is 1 to 3600 seconds") }
        if let token, token.isEmpty || token.contains(where: { $0.isWhitespace || $0.isNewline }) {
            throw ValidationError("--token must be one word")
        }
    }

    func run() async throws {
        var options = SyncOptions(origin: SyncOptions.origin(of: from)!, token: token)
        if let endpoints, case .success(let list) = SyncOptions.endpoints(named: endpoints) { options.endpoints = list }
        options.retry = RetryPolicy(attempts: attempts, base: .milliseconds(Int(retryWait * 1000)))
        options.timeout = .seconds(timeout)
        options.full = full
        let isTerminal = isatty(STDERR_FILENO) != 0
        let summary = try await database.withStore { store in
            try await SyncPass(database: store, options: options, logger: Self.logger) { progress in
                if isTerminal { Diagnostics.line(Self.progressLine(progress)) }
            }.run()
        }
        print(summary.line)
        guard summary.succeeded else {
            for failure in summary.pass.failures.prefix(20) { Diagnostics.line("  undone: \(failure)") }
            if summary.pass.failures.count > 20 { Diagnostics.line("  … and \(summary.pass.failures.count - 20) more") }
            Diagnostics.line("perigee sync: \(summary.pass.failures.count) things left undone; run it again to retry them")
            throw ExitCode.failure
        }
    }

    /// `90s`, `30m`, `6h`, `1d` as a duration; nil for anything else.
    static func interval(_ text: String) -> Duration? {
        guard let unit = text.last, let count = Int(text.dropLast()), count > 0, count <= 365 * 24 * 3600 else { return nil }
        switch unit {
        case "s": return .seconds(count)
        case "m": return .seconds(count * 60)
        case "h": return .seconds(count * 3600)
        case "d": return .seconds(count * 86_400)
        default: return nil
        }
    }

    /// Waits and retries as notices on stderr; nothing else.
    static var logger: Logger {
        var logger = Logger(label: "perigee.sync") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .notice
        return logger
    }

    /// `[spacecraft] 12 pages, 1180 objects; queue 40 left, 300 done, 0 failed; 320 requests, 5 left in window; ETA 2 min`.
    static func progressLine(_ progress: SyncProgress) -> String {
        var line =
            "  [\(progress.phase)] \(progress.pages) pages, \(progress.objects) objects; queue \(progress.queue.pending) left, "
            + "\(progress.queue.done) done, \(progress.queue.failed) failed; \(progress.requests) requests"
        if let left = progress.leftInWindow { line += ", \(left) left in window" }
        if let waiting = progress.waitingSeconds { line += "; waiting \(waiting) s for upstream's window" }
        if let eta = progress.etaSeconds, eta > 0 { line += "; ETA \(eta / 60) min \(eta % 60) s at upstream's rate" }
        return line
    }
}
