import Foundation
import Hummingbird
import Synchronization

/// A rendered response, kept in a `VersionedCache` until the store changes (or, for a response
/// showing live figures, for at most `liveLifetime`).
final class CachedResponse: Sendable {
    let status: HTTPResponse.Status
    let contentType: String
    let body: ByteBuffer
    let etag: String
    /// The gzipped body, made the first time a client accepts it.
    private let compressed = Mutex<ByteBuffer?>(nil)

    init(status: HTTPResponse.Status, contentType: String, body: ByteBuffer, etag: String) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.etag = etag
    }

    /// The body gzipped, compressed once per entry (two requests racing may both compress; one result is kept).
    func gzipped() -> ByteBuffer {
        if let made = compressed.withLock({ $0 }) { return made }
        let made = ContentCoding.gzip(body)
        compressed.withLock { $0 = made }
        return made
    }

    /// How long a response with live figures (a craft in space) is served before it is made again.
    static let liveLifetime: TimeInterval = 1

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
