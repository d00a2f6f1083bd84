import PerigeeCore
import Testing

@testable import PerigeeStore

/// The shared row cache keeps what is in use across a turnover of its generations, and forgets the rest.
@Suite("Row cache")
struct RowCacheTests {
    @Test("a row read from the previous generation survives the next turnover; an unused one does not")
    func generations() {
        let cache = RowCache(entriesPerGeneration: 2)
        cache.sync("v")
        func row(_ id: Int64) -> (RecordID, [String: StoredValue]) { (.integer(id), ["id": .integer(id)]) }
        cache.store("spacecraft", rows: [row(1), row(2)], version: "v")
        cache.store("spacecraft", rows: [row(3)], version: "v")  // 1 and 2 become the previous generation
        #expect(cache.rows("spacecraft", [.integer(1)]).count == 1)  // read: carried into the current one
        cache.store("spacecraft", rows: [row(4)], version: "v")  // 2 is dropped with its generation
        let found = cache.rows("spacecraft", (1...4).map { RecordID.integer($0) })
        #expect(Set(found.keys) == [.integer(1), .integer(3), .integer(4)])
        cache.sync("w")
        #expect(cache.rows("spacecraft", [.integer(4)]).isEmpty, "another store version starts empty")
    }
}
