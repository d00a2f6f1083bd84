import Foundation
import PerigeeCore
import PerigeeStore

/// Walks list endpoints page by page and fetches the detail queue, committing each body with the
/// pass's progress in one transaction.
///
/// Offset pagination moves when upstream gains or loses objects during a walk. Each page after the
/// first starts `overlap` objects before the previous one ended: if none of the previous page's last
/// ids is on the new page, objects before the cursor were removed and some may have been skipped, so
/// the walk steps back a page (at most `maxRewinds` times). Ids are counted once; at the end the walk
/// is confirmed complete only if it saw exactly upstream's `count` distinct ids.
struct PassWalker: Sendable {
    let database: Database
    let options: SyncOptions
    let fetcher: Fetcher
    let budget: UpstreamBudget
    let state: PassState
    let clock: PerigeeClock
    let progress: (@Sendable (SyncProgress) -> Void)?
    /// Steps back per walk before it is given up as unconfirmable.
    static let maxRewinds = 20
    /// Detail routes read from the queue at a time.
    static let detailBatch = 50

    func walk(_ endpoint: Endpoint) async throws -> SyncWalkRecord {
        var walk = try await database.syncWalk(pass: await state.pass.id, endpoint: endpoint.path)
        if walk.upstreamCount == nil, walk.nextOffset == 0 {
            // Not started: walk only what changed since the last walk's latest change, where the
            // endpoint allows it and a completed walk recorded one. Decided again until the first page
            // is saved, from the same records, so a resumed pass decides the same.
            let mark =
                endpoint.changeField == nil || options.full
                ? nil : try await database.syncChangeMark(source: options.origin, endpoint: endpoint.path, before: walk.passID)
            walk.since = mark.map { mark in
                let since = mark.microseconds - options.changeOverlap
                return Timestamp(microseconds: since - since % 1_000_000)  // whole seconds, as the query says it
            }
            walk.highWater = mark
        }
        while walk.state == .walking {
            let offset = walk.nextOffset
            let path = endpoint.syncPagePath(limit: options.pageSize, offset: offset, since: walk.since)
            let known = try await database.syncFetched(source: options.origin, paths: [path])[path]
            let memo: PageMemo
            var body: (UpstreamResponse, ReadBody)?
            switch try await fetcher.fetch(path, ifNoneMatch: known?.memo != nil ? known?.etag : nil) {
            case .body(var answer):
                let read: ReadBody
                do {
                    read = try self.read(&answer, path: path, changeField: endpoint.changeField)
                } catch let failure as ImportFailure {
                    // Nothing of the page was written; the next pass walks this list again from its start.
                    walk.state = .failed
                    await state.walkFailed("\(path): not importable: \(failure)")
                    return walk
                }
                guard let pageMemo = read.memo else {
                    walk.state = .failed
                    await state.walkFailed("\(path): not a list page")
                    return walk
                }
                (memo, body) = (pageMemo, (answer, read))
            case .notModified:
                // Unchanged since the last pass: the page's ids (and so its count) are the ones recorded then.
                guard let recorded = known?.memo.flatMap(PageMemo.init(text:)) else {
                    walk.state = .failed
                    await state.walkFailed("\(path): 304 Not Modified to a request without a condition")
                    return walk
                }
                memo = recorded
            case .failed(let reason, let attempts):
                // Not saved: the next pass walks this list again from its start.
                walk.state = .failed
                await state.walkFailed("\(path): \(reason) (\(attempts) attempts)")
                return walk
            }
            if !walk.tailIDs.isEmpty, !memo.ids.isEmpty, !memo.ids.contains(where: walk.tailIDs.contains) {
                // Upstream lost objects before the cursor: step back and read again.
                walk.rewinds += 1
                if walk.rewinds > Self.maxRewinds {
                    walk.state = .unconfirmed
                } else {
                    walk.nextOffset = max(0, offset - (options.pageSize - options.overlap))
                }
                try await database.syncTransaction { [walk] ledger in try await ledger.saveWalk(walk) }
                continue
            }
            var next = walk
            next.upstreamCount = memo.count
            next.tailIDs = Array(memo.ids.suffix(options.overlap))
            next.nextOffset = offset + max(memo.ids.count - options.overlap, 1)
            if let latest = memo.latest, latest > (next.highWater?.microseconds ?? .min) {
                next.highWater = Timestamp(microseconds: latest)
            }
            let origin = options.origin
            let advance: @Sendable (SyncLedger) async throws -> Void = { [next] ledger in
                var moved = next
                try await ledger.markSeen(pass: moved.passID, endpoint: endpoint.path, ids: memo.ids)
                if !memo.hasNext {
                    let seen = try await ledger.seenCount(pass: moved.passID, endpoint: endpoint.path)
                    moved.state = seen == memo.count ? .complete : .unconfirmed
                }
                try await ledger.saveWalk(moved)
            }
            if let (response, read) = body {
                do {
                    try await importBody(read, path: path) { ledger in
                        try await ledger.saveFetched(source: origin, path: path, etag: response.etag, memo: memo.text)
                        try await advance(ledger)
                    }
                } catch let failure as ImportFailure {
                    // Nothing of the page was written; the next pass walks this list again from its start.
                    walk.state = .failed
                    await state.walkFailed("\(path): not importable: \(failure)")
                    return walk
                }
            } else {
                let own = memo.ids.map { APIPath.detail(endpoint.path, id: $0) }
                try await database.syncTransaction { [passID = next.passID] ledger in
                    try await ledger.markDetailsDone(pass: passID, paths: own)
                    try await advance(ledger)
                }
                await state.unchanged()
            }
            walk = try await database.syncWalk(pass: walk.passID, endpoint: endpoint.path)
            await report(phase: endpoint.path)
        }
        return walk
    }

    /// Fetches every queued detail route, the ones the fetched bodies add included.
    func fetchDetails() async throws {
        let passID = await state.pass.id
        let origin = options.origin
        while true {
            let batch = try await database.pendingSyncDetails(pass: passID, limit: Self.detailBatch)
            if batch.isEmpty { return }
            let known = options.full ? try await database.syncFetched(source: origin, paths: batch) : [:]
            for path in batch {
                switch try await fetcher.fetch(path, ifNoneMatch: known[path]?.etag) {
                case .body(var response):
                    do {
                        let read = try self.read(&response, path: path, changeField: nil)
                        try await importBody(read, path: path) { [response] ledger in
                            try await ledger.markDetailsDone(pass: passID, paths: [path])
                            try await ledger.saveFetched(source: origin, path: path, etag: response.etag, memo: nil)
                        }
                    } catch let failure as ImportFailure {
                        try await database.markSyncDetailFailed(pass: passID, path: path, attempts: 1, reason: "not importable: \(failure)")
                    }
                case .notModified:
                    try await database.syncTransaction { ledger in try await ledger.markDetailsDone(pass: passID, paths: [path]) }
                    await state.unchanged()
                case .failed(let reason, let attempts):
                    try await database.markSyncDetailFailed(pass: passID, path: path, attempts: attempts, reason: reason)
                }
                await report(phase: "details")
            }
        }
    }

    /// Imports one body, its live figures dated by upstream's `Date`, together with the queue's
    /// changes (its own objects had, the objects it nests queued), the pass's counts and `alongside`.
    private func importBody(_ read: ReadBody, path: String, alongside: @escaping @Sendable (SyncLedger) async throws -> Void) async throws {
        let links = read.links
        let pass = await state.pass
        let origin = options.origin
        // An object an earlier pass already fetched in full is not fetched again (`--full` does).
        var nested = links.nested
        if !options.full {
            let had = try await database.syncFetched(source: origin, paths: nested)
            nested.removeAll { had[$0] != nil }
        }
        let importer = Importer(database: database)
        let outcome = try await importer.importStreamed(read.body, named: origin + path, source: origin) { [nested] ledger in
            try await ledger.markDetailsDone(pass: pass.id, paths: links.full)
            for own in links.full where own != path {
                try await ledger.saveFetched(source: origin, path: own, etag: nil, memo: nil)
            }
            try await ledger.enqueueDetails(pass: pass.id, paths: nested)
            try await alongside(ledger)
        }
        await state.imported(objects: outcome.objectsRead)
        try await database.syncTransaction { [pass = await state.pass] ledger in try await ledger.savePass(pass) }
    }

    private func report(phase: String) async {
        guard let progress else { return }
        let passID = await state.pass.id
        guard let queue = try? await database.syncQueueCounts(pass: passID) else { return }
        let left = await budget.remaining
        let eta = await budget.secondsFor(requests: queue.pending)
        progress(
            SyncProgress(
                phase: phase, pages: await state.pages, objects: await state.pass.objects, queue: queue, requests: await state.pass.requests,
                leftInWindow: left, etaSeconds: eta, waitingSeconds: await state.waitingSeconds))
    }

    /// A fetched body read object by object (`StreamedBody`), its bytes freed once read: the records,
    /// the links, and for a list page what the walk needs of it (`PageMemo`).
    struct ReadBody: Sendable {
        let body: StreamedBody
        let links: BodyLinks
        let memo: PageMemo?
    }

    private func read(_ response: inout UpstreamResponse, path: String, changeField: String?) throws -> ReadBody {
        var links = BodyLinks()
        var ids: [String] = []
        var latest: Int64? = nil
        let body = try StreamedBody(
            bytes: response.takeBody(), as: LL2Document.entity(ofRequestPath: path), takenAt: response.date ?? clock.now()
        ) { object in
            links.add(object)
            ids.append(Self.idText(object["id"]))
            if let field = changeField, let changed = object[field]?.stringValue.flatMap(Timestamp.init(iso:))?.microseconds {
                latest = max(latest ?? changed, changed)
            }
        }
        let memo = body.resultCount.flatMap { _ in PageMemo(envelope: body.envelope, ids: ids, latest: latest) }
        return ReadBody(body: body, links: links, memo: memo)
    }

    /// An object's id as the seen-table keeps it.
    static func idText(_ value: JSONValue?) -> String {
        switch value {
        case .int(let number)?: return String(number)
        case .string(let text)?: return text
        default: return "?"
        }
    }
}

/// What a list page says about the walk, kept so that a later `304` for the same page stands for it.
struct PageMemo: Codable, Sendable {
    let count: Int
    let hasNext: Bool
    let ids: [String]
    /// The latest value of the endpoint's change field on the page (microseconds), if it has one.
    let latest: Int64?

    /// A page read object by object: its envelope (`count`, `next`), its results' ids and latest change.
    init?(envelope: JSONValue, ids: [String], latest: Int64?) {
        guard case .int(let count)? = envelope["count"] else { return nil }
        self.count = Int(count)
        self.ids = ids
        hasNext = envelope["next"]?.stringValue != nil && !ids.isEmpty
        self.latest = latest
    }

    init?(page: JSONValue, changeField: String? = nil) {
        guard let results = page["results"]?.arrayElements, case .int(let count)? = page["count"] else { return nil }
        self.count = Int(count)
        ids = results.map { PassWalker.idText($0["id"]) }
        hasNext = page["next"]?.stringValue != nil && !results.isEmpty
        latest = changeField.flatMap { field in
            results.compactMap { $0[field]?.stringValue.flatMap(Timestamp.init(iso:))?.microseconds }.max()
        }
    }

    /// A memo recorded earlier.
    init?(text: String) {
        guard let memo = try? JSONDecoder().decode(PageMemo.self, from: Data(text.utf8)) else { return nil }
        self = memo
    }

    var text: String { String(decoding: (try? JSONEncoder().encode(self)) ?? Data(), as: UTF8.self) }
}
