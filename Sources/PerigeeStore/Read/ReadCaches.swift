import PerigeeCore

/// What reads keep between requests, valid while the store stays at one version: rows (and list
/// counts), and each object's compact JSON per shape. A `StoreSnapshot` is the only way in, so
/// nothing above the store knows how (or whether) a read was cached.
public final class ReadCaches: Sendable {
    let rows: RowCache
    /// Objects' JSON, keyed by `ObjectCacheKey`.
    let objects: VersionedCache<[UInt8]>

    /// - Parameter objectBytes: the bound of the objects' JSON (`--object-cache-mib`).
    public init(objectBytes: Int = 48 << 20, rowsPerGeneration: Int = 60_000) {
        rows = RowCache(entriesPerGeneration: rowsPerGeneration)
        objects = VersionedCache(maximumBytes: objectBytes, shards: 16)
    }
}

/// How a request writes objects' links: its origin, and `?format=api` on the browsable page. An
/// object's JSON embeds its absolute `url`, so the object cache keeps a copy per view.
public struct LinkView: Sendable, Hashable {
    /// `scheme://host`.
    public let origin: String
    /// Whether `url`s carry `?format=api`.
    public let browsable: Bool

    public init(origin: String, browsable: Bool) {
        self.origin = origin
        self.browsable = browsable
    }
}
