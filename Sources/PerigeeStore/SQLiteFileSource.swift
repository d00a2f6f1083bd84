import AsyncKit
import Logging
import NIOCore
import NIOPosix
import SQLiteNIO

/// Opens SQLite connections to one file with the settings a server needs on every connection
/// (a busy timeout, so that a reader waits for a writer instead of failing). Written here because
/// SQLiteKit's source only lets us switch foreign keys on.
struct SQLiteFileSource: ConnectionPoolSource {
    let path: String

    func makeConnection(logger: Logger, on eventLoop: any EventLoop) -> EventLoopFuture<SQLiteConnection> {
        SQLiteConnection.open(storage: .file(path: path), threadPool: .singleton, logger: logger, on: eventLoop)
            .flatMap { connection in
                connection.query("PRAGMA busy_timeout = 10000").map { _ in connection }
            }
    }
}
