/// Why a file could not be imported: the JSON path of the offending value and the reason.
public struct ImportFailure: Error, CustomStringConvertible, Sendable {
    /// A JSON path such as `results[3].spacecraft_config.agency.id`; empty for the whole file.
    public let path: String
    public let reason: String

    public var description: String { path.isEmpty ? reason : "\(path): \(reason)" }
}
