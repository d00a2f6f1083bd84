import Hummingbird
import PerigeeCore

/// The scheme and host links are built from (`OriginPolicy` decides it per request).
public struct BaseURL: Sendable {
    public let origin: String

    public init(origin: String) { self.origin = origin }

    /// `origin/2.3.0/path/`.
    public func api(_ path: String) -> String { origin + APIPath.list(path) }
}
