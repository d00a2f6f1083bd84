import Foundation
import Hummingbird
import PerigeeCore
import PerigeeStore
import Synchronization

/// Rendered responses, kept until the store changes (`Database.version()`, checked on every request,
/// so a write is visible on the very next one). A response showing live figures (a craft in space)
/// is kept for at most `liveLifetime`, so what it shows is never older than that. Bounded in bytes;
/// the oldest entries go first.
final class ResponseCache: Sendable {
    struct Entry: Sendable {
        let status: HTTPResponse.Status
        let contentType: String
        let body: ByteBuffer
        let etag: String
        /// Nil: until the store changes.
        let expires: Date?
        let storeVersion: String
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var order: [String] = []
        var bytes = 0
    }

    private let state = Mutex(State())
    let maximumBytes: Int
    let liveLifetime: TimeInterval

    init(maximumBytes: Int = 64 << 20, liveLifetime: TimeInterval = 1) {
        self.maximumBytes = maximumBytes
        self.liveLifetime = liveLifetime
    }

    /// The cached response for `key`, if it is still true for `storeVersion`.
    func entry(_ key: String, storeVersion: String, now: Date = Date()) -> Entry? {
        state.withLock { state in
            guard let entry = state.entries[key] else { return nil }
            guard entry.storeVersion == storeVersion, entry.expires.map({ $0 > now }) ?? true else {
                state.entries[key] = nil
                state.bytes -= entry.body.readableBytes
                return nil
            }
            return entry
        }
    }

    func store(_ key: String, _ entry: Entry) {
        state.withLock { state in
            if let old = state.entries.updateValue(entry, forKey: key) {
                state.bytes -= old.body.readableBytes
            } else {
                state.order.append(key)
            }
            state.bytes += entry.body.readableBytes
            while state.bytes > maximumBytes, !state.order.isEmpty {
                let oldest = state.order.removeFirst()
                if let evicted = state.entries.removeValue(forKey: oldest) { state.bytes -= evicted.body.readableBytes }
            }
            if state.order.count > state.entries.count * 2 + 64 {
                state.order.removeAll { state.entries[$0] == nil }
            }
        }
    }

    /// A strong validator of a body: FNV-1a over 8-byte words (then the tail), quoted. Stable across
    /// restarts, unlike `Hasher`, and eight times fewer steps than byte-wise FNV.
    static func etag(of bytes: ByteBuffer) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        bytes.withUnsafeReadableBytes { buffer in
            let words = buffer.count / 8
            for index in 0..<words {
                hash ^= buffer.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)
                hash &*= 0x0000_0100_0000_01B3
            }
            for byte in buffer[(words * 8)...] {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01B3
            }
        }
        return "\"" + String(hash, radix: 16) + "-" + String(bytes.readableBytes, radix: 16) + "\""
    }
}
