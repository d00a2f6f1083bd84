/// The API's paths, written once: LL2's version prefix and the paths below it that the server's
/// route table, the sync and the feed follower all build from.
public enum APIPath {
    /// LL2's version prefix; every API path starts with it.
    public static let prefix = "/2.3.0"
    /// `/2.3.0/`: the API root.
    public static let root = prefix + "/"
    /// `/2.3.0/changes/`: the change feed (a Perigee extension).
    public static let changes = list("changes")

    /// `/2.3.0/<section>/`: a list, or a report (`section` is an endpoint's path, `config/orbits`).
    public static func list(_ section: String) -> String { "\(prefix)/\(section)/" }

    /// `/2.3.0/<section>/<id>/`.
    public static func detail(_ section: String, id: some CustomStringConvertible) -> String { "\(prefix)/\(section)/\(id)/" }

    /// `/2.3.0/<section>/<id>/history/`: one object's changes (a Perigee extension).
    public static func history(_ section: String, id: some CustomStringConvertible) -> String { "\(prefix)/\(section)/\(id)/history/" }
}
