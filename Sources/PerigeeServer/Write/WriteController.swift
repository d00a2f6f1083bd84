import Foundation
import Hummingbird
import PerigeeCore
import PerigeeStore

/// Curators' writes on an endpoint whose declaration allows them (`Endpoint.writes`): `POST` on the
/// list route creates, `PUT` replaces, `PATCH` changes, `DELETE` removes. Only a key of `write`
/// scope may write (none: 401, a `read` key: 403, DRF's words); `If-Match` with a tag read earlier
/// makes the write conditional on the object not having changed since (412 otherwise). Each write
/// answers as its detail route then would (201/200 with the detailed object, 204 for a delete).
struct WriteController: Sendable {
    let reads: ResourceController
    let schema: WriteSchema
    /// What a write's body must be (the route table's rule).
    let body: BodyRule

    var endpoint: Endpoint { reads.endpoint }
    var database: Database { reads.database }

    func create(_ request: Request, _ writer: WriterContext) async throws -> Response {
        let (context, key) = (writer.request, writer.key)
        let body = try await WriteBody.read(request, rule: body)
        let checked = try await checked(body, operation: .create, current: nil)
        let id = try await refusals(body) { try await database.createObject(endpoint, checked, actor: "key:" + key.name, at: reads.clock.now()) }
        var response = try await answer(request, context, id: id, status: .created)
        response.headers[.location] = BaseURL(origin: context.origin).api(endpoint.path) + "\(id)/"
        return response
    }

    func update(_ request: Request, _ writer: WriterContext, id text: String, operation: WriteSchema.Operation) async throws -> Response {
        let (context, key) = (writer.request, writer.key)
        guard let id = reads.recordID(text) else { throw LL2Error.notFound(model: endpoint.entity.modelName) }
        let expecting = expectedRevisions(request)
        let body = try await WriteBody.read(request, rule: body)
        let current = try await currentJSON(request, context, id: id)
        let checked = try await checked(body, operation: operation, current: current)
        try await refusals(body) {
            try await database.updateObject(endpoint, id: id, checked, expecting: expecting, actor: "key:" + key.name, at: reads.clock.now())
        }
        return try await answer(request, context, id: id, status: .ok)
    }

    func delete(_ request: Request, _ writer: WriterContext, id text: String) async throws -> Response {
        let key = writer.key
        guard let id = reads.recordID(text) else { throw LL2Error.notFound(model: endpoint.entity.modelName) }
        let expecting = expectedRevisions(request)
        try await refusals(nil) {
            try await database.deleteObject(endpoint, id: id, expecting: expecting, actor: "key:" + key.name, at: reads.clock.now())
        }
        var response = Response(status: .noContent)
        try await ReadYourWrites.stamp(&response, database)
        return response
    }

    /// The revisions `If-Match` accepts, or nil when it sets no condition (no header, or `*`: the
    /// object must exist, which every write checks). The store compares them inside the write's
    /// transaction; a header of tags Perigee did not make accepts none.
    private func expectedRevisions(_ request: Request) -> Set<Int64>? {
        guard let header = request.headers[.ifMatch] else { return nil }
        switch RevisionTag.condition(ifMatch: header) {
        case .any: return nil
        case .revisions(let revisions): return revisions
        }
    }

    static let preconditionFailed = LL2Error(
        status: .preconditionFailed,
        body: .object([("detail", "The object has changed since it was read: If-Match does not name its current ETag.")]))

    /// The object's detailed JSON now (read-only keys of a body must repeat it); 404 when it is gone.
    private func currentJSON(_ request: Request, _ context: AppRequestContext, id: RecordID) async throws -> JSONValue {
        let response = try await detail(request, context, id: id)
        return (try? JSONValue.parse(bytes: response.json ?? [])) ?? .null
    }

    /// The object as its detail route shows it (detailed, JSON, at the store's version after the write).
    private func detail(_ request: Request, _ context: AppRequestContext, id: RecordID) async throws -> APIResponse {
        let version = try await database.version()
        let snapshot = try await StoreSnapshot.take(of: database, caches: reads.caches.reads, version: version)
        let read = ReadRequest(request, format: .json, origin: context.origin, parameters: QueryParameters(query: "mode=detailed"))
        return try await reads.detail(read, id: id.description, in: snapshot)
    }

    /// The response to a successful write: the object's detailed JSON, with its new tag.
    private func answer(_ request: Request, _ context: AppRequestContext, id: RecordID, status: HTTPResponse.Status) async throws -> Response {
        let response = try await detail(request, context, id: id)
        let body = ByteBuffer(bytes: response.json ?? [])
        let etag = response.revision.map { RevisionTag.tag(revision: $0, bodyTag: CachedResponse.etag(of: body)) }
        var answer = APIResponse.response(status: status, contentType: "application/json", body: body, etag: etag, request: request)
        answer.headers[.cacheControl] = "no-store"
        try await ReadYourWrites.stamp(&answer, database)
        return answer
    }

    /// The body checked against the schema; DRF's 400 with every field error, the unknown ids among them.
    private func checked(_ body: JSONValue, operation: WriteSchema.Operation, current: JSONValue?) async throws -> WriteSchema.Checked {
        let (checked, errors) = schema.check(body, operation: operation, current: current)
        guard let errors else { return checked }
        var messages = errors.messages
        for (field, unknown) in try await database.unknownReferences(checked) where !messages.contains(where: { $0.field == field }) {
            messages.append((field, unknown))
        }
        throw LL2Error.invalid(FieldErrors(messages))
    }

    /// The store's refusals in LL2's error shape (`model` names the resource in a 404, as reads do).
    /// A figure the write would make unrepresentable is a field error on the first of its inputs the
    /// body sent (`sent`), else a non-field error.
    private func refusals<T>(_ sent: JSONValue?, _ write: () async throws -> T) async throws -> T {
        let model = endpoint.entity.modelName
        do {
            return try await write()
        } catch let figure as UnrepresentableFigure {
            let field = figure.inputs.first { sent?[$0] != nil } ?? "non_field_errors"
            throw LL2Error.invalid(FieldErrors([(field, ["This value would make \(figure.description)."])]))
        } catch let refusal as WriteRefusal {
            switch refusal {
            case .notFound: throw LL2Error.notFound(model: model)
            case .stale: throw Self.preconditionFailed
            case .invalid(let errors): throw LL2Error.invalid(errors)
            case .noIDLeft:
                throw LL2Error(
                    status: .conflict,
                    body: .object([("detail", .string("No id is left for a new \(model) in this store's block of ids."))]))
            case .referenced:
                throw LL2Error(
                    status: .conflict,
                    body: .object([("detail", "Other records refer to this object; change or delete them first.")]))
            }
        }
    }
}
