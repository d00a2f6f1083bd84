import Foundation
import PerigeeCore
import PerigeeStore
import Testing

/// The read path's snapshot: what its object cache may share, and what it must not.
@Suite("Store snapshot")
struct StoreSnapshotTests {
    @Test("two shapes with one name but different nesting never share cached objects; a write starts a new snapshot's caches")
    func objectCacheKeysByShapeIdentity() async throws {
        try await TestStore.with(.sqlite) { database in
            #expect(await Importer(database: database).importFile(Seeds.path("003_62f3c5d583a717a1.txt")).succeeded)
            // LL2's spec reuses serializer names; two such shapes nest the same key differently.
            let plain = Shape(
                "SpacecraftTwin", entity: "spacecraft", mode: "normal", [.responseMode, .id, .object("status", Shapes.idName("spacecraft_status"))])
            let bare = Shape("SpacecraftTwin", entity: "spacecraft", mode: "normal", [.responseMode, .id, .field("name")])
            let caches = ReadCaches()
            let view = LinkView(origin: "http://127.0.0.1", browsable: false)
            let snapshot = try await StoreSnapshot.take(of: database, caches: caches)
            let id = RecordID.integer(602)
            let first = try #require(try await snapshot.object(plain, id: id, view: view, now: PerigeeClock.system.now()))
            let second = try #require(try await snapshot.object(bare, id: id, view: view, now: PerigeeClock.system.now()))
            #expect(String(decoding: first.json, as: UTF8.self).contains("\"status\":{"))
            #expect(String(decoding: second.json, as: UTF8.self) == #"{"response_mode":"normal","id":602,"name":"Tianzhou-8"}"#)
            #expect(try await snapshot.object(bare, id: .integer(1), view: view, now: PerigeeClock.system.now()) == nil, "no such object")

            // A write: a snapshot taken after it reads the new name, whatever the caches held.
            var renamed = try Seeds.json("003_62f3c5d583a717a1.txt")["spacecraft"]!.objectMembers!
            renamed[renamed.firstIndex { $0.0 == "name" }!].1 = .string("Tianzhou-8 (renamed)")
            #expect(
                try await Importer(database: database).importText(
                    String(decoding: JSONWriter.compact(.object(renamed)), as: UTF8.self), named: "renamed"
                ).succeeded)
            let later = try await StoreSnapshot.take(of: database, caches: caches)
            #expect(later.version != snapshot.version)
            let after = try #require(try await later.object(bare, id: id, view: view, now: PerigeeClock.system.now()))
            #expect(String(decoding: after.json, as: UTF8.self).contains("Tianzhou-8 (renamed)"))
        }
    }
}
