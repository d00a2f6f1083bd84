import HTTPTypes
import Hummingbird
import PerigeeStore

/// Read-your-writes across replicas: every write answers `Perigee-Version: N` (the store's write
/// count once it committed), and a read that sends `Perigee-Min-Version: N` is answered from that
/// version or a newer one, at whichever replica it reaches (`Database.version(atLeast:)`). Without the
/// header a replica may serve the previous version until it hears of the write (NOTIFY), as measured
/// in BENCHMARKS.md.
enum ReadYourWrites {
    static let versionHeader = HTTPField.Name("Perigee-Version")!
    static let minimumHeader = HTTPField.Name("Perigee-Min-Version")!

    /// The version a read asks for at least; nil without the header or when it is not a number.
    static func minimum(_ request: Request) -> Int64? {
        request.headers[minimumHeader].flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// Adds `Perigee-Version` to a write's answer.
    static func stamp(_ response: inout Response, _ database: Database) async throws {
        response.headers[versionHeader] = String(try await database.lastChange().generation)
    }
}
