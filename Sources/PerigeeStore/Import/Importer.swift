import Foundation
import PerigeeCore
import SQLKit

/// Imports LL2 JSON files into a store, each file atomically in its own transaction.
public struct Importer: Sendable {
    /// What happened to one file.
    public struct FileOutcome: Sendable {
        public let file: String
        /// Per entity, when the file was imported; nil when it failed.
        public let changes: [String: EntityChanges]?
        public let objectsRead: Int
        public let failure: ImportFailure?
        public var succeeded: Bool { failure == nil }

        /// `file: reason` or `file: N objects`.
        public var summary: String {
            if let failure { return "\(file): FAILED at \(failure.path.isEmpty ? "(file)" : failure.path): \(failure.reason)" }
            let totals = (changes ?? [:]).values.reduce(into: EntityChanges()) { $0.add($1) }
            return "\(file): \(objectsRead) objects read; \(totals.created) created, \(totals.updated) updated, \(totals.unchanged) unchanged"
        }
    }

    let database: Database
    /// Stamps imported live figures, so they tick on from the moment they were read.
    let clock: PerigeeClock

    public init(database: Database, clock: PerigeeClock = .system) {
        self.database = database
        self.clock = clock
    }

    /// Expands directories (their regular files, sorted by name) and keeps files as given.
    public static func expand(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                files.append(path)  // reported as a failure by `importFile`
                continue
            }
            if isDirectory.boolValue {
                let names = try manager.contentsOfDirectory(atPath: path).filter { !$0.hasPrefix(".") }.sorted()
                for name in names {
                    let child = (path as NSString).appendingPathComponent(name)
                    var childIsDirectory: ObjCBool = false
                    if manager.fileExists(atPath: child, isDirectory: &childIsDirectory), !childIsDirectory.boolValue {
                        files.append(child)
                    }
                }
            } else {
                files.append(path)
            }
        }
        return files
    }

    /// Where a multi-file import stands, after each file.
    public struct Progress: Sendable {
        public let lastFile: FileOutcome
        public let filesDone: Int
        public let filesTotal: Int
        /// Objects read so far, over all files.
        public let objectsRead: Int
    }

    /// Imports each file; one file's failure leaves the others' outcomes untouched.
    public func importFiles(_ paths: [String], progress: ((Progress) -> Void)? = nil) async throws -> [FileOutcome] {
        let files = try Self.expand(paths)
        var outcomes: [FileOutcome] = []
        var objectsRead = 0
        for (index, file) in files.enumerated() {
            let outcome = await importFile(file)
            outcomes.append(outcome)
            objectsRead += outcome.objectsRead
            progress?(Progress(lastFile: outcome, filesDone: index + 1, filesTotal: files.count, objectsRead: objectsRead))
        }
        return outcomes
    }

    /// Imports one file atomically: on any failure nothing from it is written.
    public func importFile(_ file: String) async -> FileOutcome {
        do {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ImportFailure(path: "", reason: "cannot read the file")
            }
            return try await importText(String(decoding: data, as: UTF8.self), named: file)
        } catch let failure as ImportFailure {
            return FileOutcome(file: file, changes: nil, objectsRead: 0, failure: failure)
        } catch {
            return FileOutcome(file: file, changes: nil, objectsRead: 0, failure: ImportFailure(path: "", reason: "\(error)"))
        }
    }

    /// Imports LL2 JSON (or a browsable capture) given as text.
    public func importText(_ text: String, named name: String) async throws -> FileOutcome {
        try await importDocument(
            try LL2Document.json(in: text), named: name, takenAt: clock.now(), source: "file:" + (name as NSString).lastPathComponent)
    }

    /// Imports an LL2 body as served at `path` (`/2.3.0/config/notice_types/`): for bodies whose objects
    /// have no `url` to tell their entity by (lookups, payloads, patches, updates).
    public func importBody(_ document: JSONValue, servedAt path: String, named name: String) async throws -> FileOutcome {
        guard let entity = LL2Document.entity(ofRequestPath: path) else {
            throw ImportFailure(path: "", reason: "'\(path)' is not an endpoint Perigee stores")
        }
        return try await importDocument(document, named: name, as: entity, takenAt: clock.now(), source: "file:" + name)
    }

    /// Imports one parsed LL2 body (a list page or one object) in one transaction, together with
    /// whatever `alongside` writes in it: the sync commits its own progress with the page it read,
    /// so an interruption can never separate the two.
    ///
    /// - Parameter takenAt: when the body's live figures were true (the sync passes upstream's
    ///   `Date`; a file's figures date from its import).
    /// - Parameter source: recorded for every object of the body (`ObjectSources`).
    /// - Parameter entity: what the body holds, when the caller knows (the sync, from the path it
    ///   fetched); otherwise read from the objects' `url`.
    public func importDocument(
        _ document: JSONValue, named name: String, as entity: Entity? = nil, takenAt: Timestamp, source: String,
        alongside: (@Sendable (any SQLDatabase) async throws -> Void)? = nil
    ) async throws -> FileOutcome {
        let entity = try entity ?? LL2Document.rootEntity(of: document)
        var collector = RecordCollector(importedAt: takenAt)
        try collector.collect(document: document, as: entity)
        return try await importCollected(collector, named: name, source: source, alongside: alongside)
    }

    /// Writes what `collector` gathered in one transaction, with `alongside`.
    func importCollected(
        _ collected: RecordCollector, named name: String, source: String, alongside: (@Sendable (any SQLDatabase) async throws -> Void)?
    ) async throws -> FileOutcome {
        let now = clock.now()
        let changes: [String: EntityChanges]
        do {
            changes = try await database.writeTransaction { db in
                return try await RecordApplier(db: db).apply(collected, source: source, at: now, alongside: alongside)
            }
        } catch let figure as UnrepresentableFigure {
            throw ImportFailure(path: "\(figure.entity)[\(figure.id.map(String.init(describing:)) ?? "")].\(figure.key)", reason: figure.description)
        }
        return FileOutcome(file: name, changes: changes, objectsRead: collected.objectsRead, failure: nil)
    }
}
