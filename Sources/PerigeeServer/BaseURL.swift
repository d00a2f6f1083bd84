import Hummingbird

/// The scheme and host links are built from: the request's, or a proxy's `X-Forwarded-Proto`/`-Host`.
public struct BaseURL: Sendable {
    public let origin: String

    public init(origin: String) { self.origin = origin }

    init(request: Request) {
        let forwardedProto = request.headers[.init("X-Forwarded-Proto")!]?.split(separator: ",").first
        let forwardedHost = request.headers[.init("X-Forwarded-Host")!]?.split(separator: ",").first
        let scheme = forwardedProto.map { $0.trimmingCharacters(in: .whitespaces) } ?? "http"
        let host = forwardedHost.map { $0.trimmingCharacters(in: .whitespaces) } ?? request.head.authority ?? "localhost"
        origin = "\(scheme)://\(host)"
    }

    /// `origin/2.3.0/path/`.
    public func api(_ path: String) -> String { "\(origin)/2.3.0/\(path)/" }
}
