import AsyncKit
import Foundation
import NIOPosix
import PostgresKit
import SQLiteNIO

/// Why a store could not be opened or answered, in one line that names the store (never its
/// password) and the reason, for the CLI's stderr and the server's log. PostgresNIO's own
/// description is deliberately generic ("Generic description to prevent accidental leakage…"), so
/// the reason is read from the error's fields instead.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    /// The store as the user named it (without a password).
    public let store: String
    public let reason: String

    public init(_ location: DatabaseLocation, _ reason: String) {
        self.init(store: location.description, reason)
    }

    public init(store: String, _ reason: String) {
        self.store = store
        self.reason = reason
    }

    public var description: String { "cannot open store \(store): \(reason)" }

    /// What went wrong, readable: the server's message, the connection's failure, or the error itself.
    public static func reason(of error: any Error) -> String {
        if let store = error as? StoreError { return store.reason }
        if let psql = error as? PSQLError {
            if let message = psql.serverInfo?[.message] {
                let state = psql.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return message + state
            }
            if let underlying = psql.underlying { return "\(psql.code): \(reason(of: underlying))" }
            return "\(psql.code)"
        }
        if let sqlite = error as? SQLiteError { return sqlite.message }
        return String(describing: error)
    }

    /// Whether `error` says the database cannot be reached right now (as opposed to a bad query):
    /// a request meeting it is answered 503 with `Retry-After`, not 500.
    public static func isUnavailable(_ error: any Error) -> Bool {
        if let psql = error as? PSQLError {
            switch psql.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed: return true
            case .server:
                // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 53300 too many connections.
                let state = psql.serverInfo?[.sqlState] ?? ""
                return state.hasPrefix("57P") || state == "53300"
            default: return false
            }
        }
        if let sqlite = error as? SQLiteError {
            return sqlite.reason == .busy || sqlite.reason == .locked
        }
        return error is ConnectionPoolTimeoutError || error is ConnectionPoolError || error is NIOConnectionError
            || error is NIOCore.IOError || error is NIOCore.ChannelError
    }

    /// Whether `error` is a statement cut short by its timeout (PostgreSQL 57014, `query_canceled`).
    public static func isTimeout(_ error: any Error) -> Bool {
        guard let psql = error as? PSQLError else { return false }
        return psql.code == .queryCancelled || psql.serverInfo?[.sqlState] == "57014"
    }

    /// Checks an SQLite path before SQLite sees it: SQLite would create a file in a missing
    /// directory's place (failing later with a vague error), open a directory, or report a
    /// non-database file only at the first query.
    static func checkSQLite(path: String, location: DatabaseLocation) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw StoreError(location, "\(path) is a directory, not an SQLite file") }
            guard let handle = FileHandle(forReadingAtPath: path) else { throw StoreError(location, "\(path) cannot be read (permission denied?)") }
            defer { try? handle.close() }
            let header = (try? handle.read(upToCount: 16)) ?? Data()
            if !header.isEmpty, header != Data("SQLite format 3\0".utf8) {
                throw StoreError(location, "\(path) is not an SQLite database")
            }
        } else {
            let directory = (path as NSString).deletingLastPathComponent
            let parent = directory.isEmpty ? "." : directory
            guard manager.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw StoreError(location, "directory \(parent) does not exist")
            }
            guard manager.isWritableFile(atPath: parent) else { throw StoreError(location, "directory \(parent) is not writable") }
        }
    }
}
