import Foundation
import HTTPTypes
import HummingbirdTesting
import PerigeeCore
import PerigeeServer
import Testing

@testable import PerigeeStore

/// A client that writes through one replica and reads through another never sees the past when it
/// sends back the version the write answered (`Perigee-Version` → `Perigee-Min-Version`).
@Suite("Read-your-writes across replicas")
struct ReadYourWritesTests {
    @Test("a replica that has not heard of a write yet answers a read that names the write's version from the store")
    func minimumVersion() async throws {
        guard StoreKind.postgresURL != nil else { return }
        try await CuratorWriteTests.withServer(.postgres) { writerStore, writer, keys in
            // A second replica on the same database, whose listened version is stuck before the write
            // (as when a notification is still on its way): it believes it knows the version exactly.
            let replica = try await Database.open(writerStore.location)
            let before = try await writerStore.lastChange().generation
            replica.knownVersion.listening(at: before)
            let app = buildApplication(PerigeeConfiguration(port: 0, origins: TestApp.seedOrigins), database: replica)
            try await app.test(.router) { reader in
                let old = try await TestApp.get(reader, "/2.3.0/spacecraft/602/").json["name"]
                let written = try await CuratorWriteTests.send(
                    writer, .patch, "/2.3.0/spacecraft/602/", key: keys.write, json: #"{"name": "Renamed Elsewhere"}"#)
                #expect(written.status == .ok)
                let version = try #require(written.headers[HTTPField.Name("Perigee-Version")!])
                #expect(Int64(version).map { $0 > before } == true, "\(version)")
                replica.knownVersion.heard(before)  // still exact, still behind
                let plain = try await TestApp.get(reader, "/2.3.0/spacecraft/602/")
                #expect(plain.json["name"] == old, "without the header the replica answers from the version it knows")
                let fresh = try await TestApp.get(reader, "/2.3.0/spacecraft/602/", headers: [HTTPField.Name("Perigee-Min-Version")!: version])
                #expect(fresh.json["name"] == "Renamed Elsewhere")
                let list = try await TestApp.get(
                    reader, "/2.3.0/spacecraft/?search=renamed", headers: [HTTPField.Name("Perigee-Min-Version")!: version])
                #expect(list.json["count"] == 1)
            }
            try await replica.shutdown()
        }
    }
}
