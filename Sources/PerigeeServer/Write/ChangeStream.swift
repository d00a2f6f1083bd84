import Foundation
import HTTPTypes
import Hummingbird
import PerigeeCore
import PerigeeStore

/// The change feed as server-sent events (`Accept: text/event-stream`): each change is an event
/// whose `id` is its `seq`, so a client that reconnects with `Last-Event-ID` (browsers' EventSource
/// do it themselves) resumes right after the last change it saw. A stream lasts at most `lifetime`
/// (`ServeLimits.changeStreamLifetime`) and then ends, so no connection is held for ever; a comment line every `heartbeat` keeps
/// proxies from closing a quiet one.
struct ChangeStream: Sendable {
    let database: Database
    let watch: VersionWatch
    let base: BaseURL
    /// `ServeLimits.changeStreamLifetime`.
    let lifetime: Duration

    static let heartbeat: Duration = .seconds(15)
    /// Changes read per query while catching up.
    static let batch = 500

    /// The stream from `since`; `slot` (a place under `--max-feed-connections`) is left when it ends.
    /// A client that stops reading is disconnected by `PeerDeadlines` (the write then fails).
    func response(since: Int64, slot: ConcurrencyGate.Pass) -> Response {
        let database = database
        let base = base
        let lifetime = lifetime
        let watch = watch
        let body = ResponseBody { writer in
            defer { slot.leave() }
            func send(_ text: String) async throws { try await writer.write(ByteBuffer(string: text)) }
            var cursor = since
            let end = ContinuousClock.now + lifetime
            var lastWrite = ContinuousClock.now
            var seen = ""
            // `retry` tells EventSource how soon to reconnect when the stream ends.
            try await send("retry: 1000\n\n")
            while ContinuousClock.now < end {
                let version = try await database.version()
                if version != seen {
                    seen = version
                    while true {
                        let found = try await database.changes(after: cursor, limit: Self.batch)
                        guard !found.isEmpty else { break }
                        var text = ""
                        for change in found {
                            let data = String(decoding: JSONWriter.compact(ChangeRoutes.json(change, base: base, fields: false)), as: UTF8.self)
                            text += "id: \(change.seq)\nevent: change\ndata: \(data)\n\n"
                        }
                        try await send(text)
                        cursor = found.last!.seq
                        lastWrite = ContinuousClock.now
                        if found.count < Self.batch { break }
                    }
                }
                if ContinuousClock.now - lastWrite >= Self.heartbeat {
                    try await send(": still here\n\n")
                    lastWrite = ContinuousClock.now
                }
                // Parked until the store changes, the next heartbeat is due, or the stream ends.
                await watch.wait(whileVersionIs: seen, until: min(end, lastWrite + Self.heartbeat))
                try Task.checkCancellation()
            }
            try await writer.finish(nil)
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
        return Response(status: .ok, headers: headers, body: body)
    }
}
