import PerigeeCore
import SQLKit

/// An LL2 body read object by object (`JSONValue.parse(bytes:eachResult:)`): the records it holds and
/// its envelope (`count`, `next`, … with `results` emptied), without the page's whole tree, so a
/// sync's memory for a page stays near the size of its bytes and its records.
public struct StreamedBody: Sendable {
    /// The body without its results: a list page's `count`, `next` and `previous`, or the object itself.
    public let envelope: JSONValue
    /// How many results a list page held; nil for a body that is one object.
    public let resultCount: Int?
    let collector: RecordCollector

    /// Reads `bytes`, handing each top-level object (each result, or the object itself) to `each`
    /// as it is read, before it is dropped.
    ///
    /// - Parameter entity: what the body holds; nil to read it from the first object's `url`.
    /// - Throws: `ImportFailure` for a body that is not JSON or holds what Perigee cannot store.
    public init(bytes: [UInt8], as entity: Entity?, takenAt: Timestamp, each: (JSONValue) -> Void = { _ in }) throws {
        var collector = RecordCollector(importedAt: takenAt)
        var entity = entity
        var count = 0
        let envelope: JSONValue
        do {
            envelope = try JSONValue.parse(bytes: bytes) { result in
                let resultEntity = try entity ?? LL2Document.rootEntity(of: result)
                entity = resultEntity
                try collector.collect(result: result, at: count, as: resultEntity)
                count += 1
                each(result)
            }
        } catch let error as JSONSyntaxError {
            throw ImportFailure(path: "", reason: error.description)
        }
        if let results = envelope["results"] {
            guard case .array = results else { throw ImportFailure(path: "results", reason: "expected an array, found \(results.typeName)") }
            resultCount = count
        } else {
            try collector.collect(document: envelope, as: entity ?? LL2Document.rootEntity(of: envelope))
            resultCount = nil
            each(envelope)
        }
        self.envelope = envelope
        self.collector = collector
    }
}

extension Importer {
    /// Imports a body read with `StreamedBody` in one transaction, with what `alongside` writes of the
    /// sync's progress in it.
    public func importStreamed(
        _ body: StreamedBody, named name: String, source: String, alongside: (@Sendable (SyncLedger) async throws -> Void)? = nil
    ) async throws -> FileOutcome {
        var write: (@Sendable (any SQLDatabase) async throws -> Void)? = nil
        if let alongside { write = { db in try await alongside(SyncLedger(db: db)) } }
        return try await importCollected(body.collector, named: name, source: source, alongside: write)
    }
}
