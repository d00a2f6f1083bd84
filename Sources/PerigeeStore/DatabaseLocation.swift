/// Where the store lives: an SQLite file (the default) or a PostgreSQL server.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    /// The default store: `./perigee.sqlite`.
    public static let defaultLocation = DatabaseLocation.sqlite(path: "perigee.sqlite")

    /// Reads `--database` or `DATABASE_URL`: `postgres://…`/`postgresql://…` selects PostgreSQL;
    /// `sqlite://PATH`, `file:PATH` or a plain path selects an SQLite file.
    public init(_ text: String) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else if text.hasPrefix("sqlite://") {
            self = .sqlite(path: String(text.dropFirst("sqlite://".count)))
        } else if text.hasPrefix("file:") {
            self = .sqlite(path: String(text.dropFirst("file:".count)))
        } else {
            self = .sqlite(path: text)
        }
    }

    /// The flag wins over the environment, which wins over the default. A URL of any other scheme
    /// (`mysql://…`) is refused rather than taken for a file name.
    public static func resolve(flag: String?, environment: [String: String]) throws(StoreError) -> DatabaseLocation {
        let text: String
        if let flag, !flag.isEmpty {
            text = flag
        } else if let url = environment["DATABASE_URL"], !url.isEmpty {
            text = url
        } else {
            return defaultLocation
        }
        if let scheme = text.range(of: "://").map({ text[..<$0.lowerBound] }), !["postgres", "postgresql", "sqlite"].contains(scheme) {
            throw StoreError(store: String(scheme) + "://…", "unsupported scheme '\(scheme)://' (use an SQLite file path or a postgres:// URL)")
        }
        return DatabaseLocation(text)
    }

    /// A description without any password.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .postgres(let url):
            guard let at = url.lastIndex(of: "@"), let scheme = url.range(of: "://") else { return url }
            return String(url[..<scheme.upperBound]) + "…" + String(url[at...])
        }
    }
}
