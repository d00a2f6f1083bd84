import Foundation
import Logging
import PerigeeCore
import PerigeeStore

/// Where a running pass stands, for the progress line.
public struct SyncProgress: Sendable {
    /// The endpoint being walked, or "details".
    public let phase: String
    /// List pages read so far.
    public let pages: Int
    /// Objects read from upstream's bodies so far.
    public let objects: Int
    /// How the detail queue stands.
    public let queue: SyncQueueCounts
    /// Requests sent upstream so far.
    public let requests: Int
    /// Requests left in upstream's current window, when it has a limit.
    public let leftInWindow: Int?
    /// Seconds the detail queue still needs at the limit's pace (nil: unknown yet).
    public let etaSeconds: Int?
    /// Set while the pass waits for upstream's window to reopen.
    public let waitingSeconds: Int?
}

/// What a pass did.
public struct SyncSummary: Sendable {
    /// The pass as recorded at its end.
    public let pass: SyncPassRecord
    /// Each list walk, where it ended.
    public let walks: [SyncWalkRecord]
    /// How the detail queue ended.
    public let queue: SyncQueueCounts
    /// 429s upstream answered (the pacing should make this 0).
    public let throttled: Int
    /// Bodies upstream answered `304 Not Modified`.
    public let unchanged: Int
    /// Objects removed because upstream no longer lists them.
    public let removed: Int
    /// Whether the pass went on from one an earlier run left unfinished.
    public let resumed: Bool
    /// When the pass followed another Perigee's change feed instead of walking lists: the cursor
    /// before and after, and the changes to objects with no route of their own (not fetched).
    public var followed: (from: Int64, to: Int64, skipped: Int)? = nil
    /// Whether everything was done (the command's exit status is 0 only then).
    public var succeeded: Bool { pass.state == .finished }

    /// One line: what was fetched, at what cost, and whether anything is left undone.
    public var line: String {
        if let followed {
            return "sync from \(pass.source) \(pass.state.rawValue): followed its change feed from \(followed.from) to \(followed.to): "
                + "\(pass.objects) objects fetched, \(removed) removed, \(followed.skipped) changes to objects with no route skipped, "
                + "\(pass.requests) requests"
        }
        let walked = walks.map { walk in
            "\(walk.endpoint) \(walk.state.rawValue)" + (walk.since.map { " (changed since \($0.iso8601))" } ?? "")
        }.joined(separator: ", ")
        return "sync from \(pass.source) \(pass.state.rawValue)\(resumed ? " (resumed)" : ""): \(pass.objects) objects, "
            + "\(pass.requests) requests (\(unchanged) not modified), \(throttled) throttled; lists: \(walked); "
            + "details: \(queue.done) had, \(queue.failed) failed; \(removed) removed"
    }
}

/// One sync pass: walks each list endpoint in its most detailed mode, then fetches from its own
/// detail route every object the lists only nested, importing each body in its own transaction
/// together with the pass's progress. Resumes the unfinished pass from the same upstream, if any.
public struct SyncPass: Sendable {
    let database: Database
    let options: SyncOptions
    let logger: Logger
    let progress: (@Sendable (SyncProgress) -> Void)?
    let clock: PerigeeClock

    /// A pass into `database` as `options` say; `progress` is called as it goes.
    public init(
        database: Database, options: SyncOptions, logger: Logger = Logger(label: "perigee.sync"), clock: PerigeeClock = .system,
        progress: (@Sendable (SyncProgress) -> Void)? = nil
    ) {
        self.database = database
        self.options = options
        self.logger = logger
        self.clock = clock
        self.progress = progress
    }

    /// Runs the pass (or resumes the unfinished one from the same upstream) to its end.
    public func run() async throws -> SyncSummary {
        let client = UpstreamClient(origin: options.origin, token: options.token, timeout: options.timeout)
        do {
            let summary = try await run(client)
            await client.shutdown()
            return summary
        } catch {
            await client.shutdown()
            throw error
        }
    }

    private func run(_ client: UpstreamClient) async throws -> SyncSummary {
        try await checkUpstream(client)
        let unfinished = try await database.unfinishedSyncPass(source: options.origin)
        // Another Perigee has a change feed: once a full pass has been made from it, follow the feed.
        let feedLatest = try? await FeedFollower.latest(client)
        if feedLatest != nil, unfinished == nil, !options.full, let cursor = try await database.feedCursor(source: options.origin) {
            return try await followFeed(client, from: cursor)
        }
        var pass: SyncPassRecord
        if let unfinished {
            pass = unfinished
        } else {
            pass = try await database.startSyncPass(source: options.origin, endpoints: options.endpoints.map(\.path), at: clock.now())
        }
        let state = PassState(pass: pass)
        let budget = UpstreamBudget(
            readReport: { await client.throttleReport() }, sleep: { try await Task.sleep(for: $0) },
            onWait: { seconds in Task { await state.waiting(seconds) } })
        await budget.start()
        let fetcher = Fetcher(client: client, retry: options.retry, budget: budget, state: state, logger: logger)
        let walker = PassWalker(
            database: database, options: options, fetcher: fetcher, budget: budget, state: state, clock: clock, progress: progress)
        // A resumed pass walks the endpoints it started with, whatever this run was asked for.
        let endpoints = pass.endpoints.compactMap(Endpoints.endpoint(path:))
        if unfinished != nil, endpoints.map(\.path) != options.endpoints.map(\.path) {
            logger.notice("resuming the unfinished pass from \(options.origin), which walks \(pass.endpoints.joined(separator: ","))")
        }
        var walks: [SyncWalkRecord] = []
        for endpoint in endpoints {
            walks.append(try await walker.walk(endpoint))
        }
        try await walker.fetchDetails()
        var removed = 0
        var kept: [String] = []
        // Only a walk of everything shows what upstream no longer lists; a walk of changes does not.
        for walk in walks where walk.state == .complete && walk.listsEverything {
            guard let endpoint = endpoints.first(where: { $0.path == walk.endpoint }) else { continue }
            let listed = try await database.syncSeenIDs(pass: pass.id, endpoint: endpoint.path)
            let removal = try await database.removeListedOnlyBy(source: options.origin, entity: endpoint.entity, listed: listed)
            removed += removal.removed.count
            kept += removal.stillReferenced.map { APIPath.detail(endpoint.path, id: $0) }
            if !removal.removed.isEmpty { logger.info("\(endpoint.path): removed \(removal.removed.count) objects upstream no longer lists") }
        }
        if !kept.isEmpty { logger.notice("kept \(kept.count) objects upstream no longer lists but others still refer to: \(kept.prefix(10))") }

        pass = await state.pass
        let queue = try await database.syncQueueCounts(pass: pass.id)
        var failures = walks.filter { $0.state != .complete }.map { walk in
            "\(walk.endpoint): list walk \(walk.state.rawValue)" + (walk.upstreamCount.map { " (upstream count \($0))" } ?? "")
        }
        failures += await state.walkFailures
        failures += try await database.failedSyncDetails(pass: pass.id)
        pass.failures = failures
        pass.finishedAt = clock.now()
        pass.state = failures.isEmpty ? .finished : .incomplete
        try await database.saveSyncPass(pass)
        // The feed's latest change was read before the walk: every later one is still in the feed. A
        // resumed pass started before it, so it sets no cursor (the next pass walks again).
        if pass.state == .finished, unfinished == nil, let latest = feedLatest ?? nil {
            try await database.saveFeedCursor(latest, source: options.origin)
        }
        return SyncSummary(
            pass: pass, walks: walks, queue: queue, throttled: await state.throttled, unchanged: await state.unchangedBodies, removed: removed,
            resumed: unfinished != nil)
    }
}

extension SyncPass {
    /// A pass that applies another Perigee's changes since `cursor` (`FeedFollower`), recorded as a pass.
    func followFeed(_ client: UpstreamClient, from cursor: Int64) async throws -> SyncSummary {
        var pass = try await database.startSyncPass(source: options.origin, endpoints: ["changes"], at: clock.now())
        let follower = FeedFollower(database: database, client: client, source: options.origin, logger: logger, clock: clock, retry: options.retry)
        do {
            let outcome = try await follower.follow(from: cursor)
            pass.requests = outcome.requests
            pass.objects = outcome.fetched
            pass.state = .finished
            pass.finishedAt = clock.now()
            try await database.saveSyncPass(pass)
            var summary = SyncSummary(
                pass: pass, walks: [], queue: SyncQueueCounts(), throttled: 0, unchanged: 0, removed: outcome.removed, resumed: false)
            summary.followed = (cursor, outcome.cursor, outcome.skipped)
            return summary
        } catch {
            pass.state = .incomplete
            pass.failures = ["change feed: \(error)"]
            pass.finishedAt = clock.now()
            try await database.saveSyncPass(pass)
            throw error
        }
    }

    /// Fails at once, with the reason, when upstream cannot be reached or is not an LL2 2.3.0 API, rather
    /// than recording every URL as failed. Asks `/2.3.0/api-throttle/`, which costs no call: a 200 or a
    /// 404 (an LL2 without the route) is an answer; 5xx and timeouts are retried as any fetch.
    func checkUpstream(_ client: UpstreamClient) async throws {
        var attempt = 0
        while true {
            attempt += 1
            let reason: String
            do {
                let response = try await client.get(APIPath.list(Endpoints.apiThrottle.path))
                switch response.status {
                case 200, 404, 429: return
                case 500...599: reason = "HTTP \(response.status)"
                default: throw SyncError("upstream \(options.origin) answers HTTP \(response.status) at \(APIPath.list(Endpoints.apiThrottle.path))")
                }
            } catch let failure as UpstreamFailure {
                reason = failure.description
            }
            guard attempt < options.retry.attempts else { throw SyncError("cannot reach upstream \(options.origin): \(reason)") }
            try await Task.sleep(for: options.retry.delay(after: attempt))
        }
    }
}

/// Why a pass could not start; the command line prints it as one line.
public struct SyncError: Error, CustomStringConvertible {
    /// The line printed.
    public let description: String
    init(_ description: String) { self.description = description }
}

/// The pass's running counts, shared by the walker and the fetcher.
actor PassState {
    var pass: SyncPassRecord
    var throttled = 0
    var pages = 0
    var waitingSeconds: Int?
    var walkFailures: [String] = []

    init(pass: SyncPassRecord) { self.pass = pass }

    /// Bodies upstream answered `304 Not Modified` (nothing to import).
    var unchangedBodies = 0

    func requestSent() { pass.requests += 1 }
    func unchanged() {
        unchangedBodies += 1
        waitingSeconds = nil
    }
    func throttledOnce() { throttled += 1 }
    func waiting(_ seconds: Int?) { waitingSeconds = seconds }
    func imported(objects: Int) {
        pass.objects += objects
        pages += 1
        waitingSeconds = nil
    }
    func walkFailed(_ line: String) { walkFailures.append(line) }
}
