import Foundation
import Logging
import PerigeeCore

/// swift-log's handler for `--log-format json`: one JSON object per line on stderr (time, level,
/// label, message, then the metadata), for log collectors. swift-log ships only a text handler.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) { emit(event.level, event.message, event.metadata) }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        emit(level, message, metadata)
    }

    private func emit(_ level: Logger.Level, _ message: Logger.Message, _ eventMetadata: Logger.Metadata?) {
        var fields: [(String, JSONValue)] = [
            ("time", .string(Timestamp(microseconds: Int64(Date().timeIntervalSince1970 * 1_000_000)).iso8601)),
            ("level", .string(level.rawValue)), ("label", .string(label)), ("message", .string(message.description)),
        ]
        let merged = metadata.merging(eventMetadata ?? [:]) { $1 }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) { fields.append((key, .string("\(value)"))) }
        var line = JSONWriter.compact(.object(fields))
        line.append(0x0A)
        FileHandle.standardError.write(Data(line))
    }
}
