/// The parts of Perigee's OpenAPI document beyond LL2 (issue 16): curators' write operations on the
/// endpoints whose declarations allow them (their request bodies read from the same `WriteSchema`
/// that checks them), each object's history, and the change feed.
extension OpenAPIDocument {
    /// The write operations of `endpoint`'s list route (`post`) and detail route (`put`, `patch`,
    /// `delete`), and the request-body schemas they name; empty when it takes no writes.
    static func writeOperations(_ endpoint: Endpoint) -> (list: [(String, JSONValue)], detail: [(String, JSONValue)], schemas: [(String, JSONValue)])
    {
        guard let schema = WriteSchema(endpoint) else { return ([], [], []) }
        let name = endpoint.title.replacingAll(" ", with: "") + "Write"
        let detailed = endpoint.shape(mode: "detailed")?.name ?? endpoint.modes.last!.shape.name
        let base = endpoint.path.replacingAll("/", with: "_")
        func writeSchema(requiring required: [String]) -> JSONValue {
            let properties: [(String, JSONValue)] = schema.writable.map { key, kind in
                switch kind {
                case .value(let fieldKind): return (key, fieldSchema(fieldKind))
                case .reference(let target): return (key, referenceSchema(target, nullable: !schema.required.contains(key)))
                case .references(let target): return (key, .object([("type", "array"), ("items", referenceSchema(target, nullable: false))]))
                }
            }
            var members: [(String, JSONValue)] = [("type", "object"), ("properties", .object(properties))]
            if !required.isEmpty { members.append(("required", .array(required.map { .string($0) }))) }
            members.append(
                (
                    "description",
                    .string(
                        "LL2's JSON for the resource, as its detailed mode shows it. Nested objects are given by id (`25` or `{\"id\": 25}`); "
                            + "read-only keys (\(schema.readOnly.sorted().joined(separator: ", "))) may be sent only with their current value.")
                ))
            return .object(members)
        }
        let requestBody: (String) -> JSONValue = { schemaName in
            .object([("required", true), ("content", .object([("application/json", .object([("schema", ref(schemaName))]))]))])
        }
        // Visible ASCII: a header value with control bytes is refused by the HTTP parser before any route.
        let ifMatch = parameter(
            "If-Match", .object([("type", "string"), ("pattern", "^[!-~]([ -~]*[!-~])?$")]), in: "header",
            description: "The `ETag` read from the object: the write is refused (412) if the object changed since.")
        let id: JSONValue =
            endpoint.entity.identifier == .integer ? .object([("type", "integer")]) : .object([("type", "string"), ("format", "uuid")])
        let idParameter = parameter("id", id, in: "path")
        func operation(
            _ verb: String, _ summary: String, _ parameters: [JSONValue], body: JSONValue?, success: (String, JSONValue)
        ) -> (String, JSONValue) {
            var responses: [(String, JSONValue)] = [
                success,
                (
                    "400",
                    jsonResponse(
                        "Field errors, every one at once (DRF's form), or malformed JSON",
                        .object([("anyOf", .array([ref("FieldErrors"), ref("Detail")]))]))
                ),
                ("401", jsonResponse("No key, or an invalid one", ref("Detail"))),
                ("403", jsonResponse("A key that may only read", ref("Detail"))),
                ("413", jsonResponse("Request body too large", ref("Detail"))),
                ("415", jsonResponse("Not `application/json`", ref("Detail"))),
                ("429", jsonResponse("Over the caller's rate", ref("Detail"))),
                ("503", jsonResponse("The store is not ready or not reachable", ref("Detail"))),
            ]
            if verb != "post" {
                responses.append(("404", jsonResponse("No such object", ref("Detail"))))
                responses.append(("412", jsonResponse("`If-Match` does not name the object's current `ETag`", ref("Detail"))))
            }
            if verb == "delete" { responses.append(("409", jsonResponse("Other records refer to the object", ref("Detail")))) }
            if verb == "post" { responses.append(("409", jsonResponse("No id is left in the store's block of curator ids", ref("Detail")))) }
            var members: [(String, JSONValue)] = [
                ("operationId", .string("\(base)_\(verb)")), ("summary", .string(summary)), ("tags", .array([.string(endpoint.title)])),
                ("parameters", .array(parameters)),
            ]
            if let body { members.append(("requestBody", body)) }
            members += [("responses", .object(responses)), ("security", .array([.object([("Token_Authentication", .array([]))])]))]
            return (verb, .object(members))
        }
        // Every write names the store version it made: a read sending it back as `Perigee-Min-Version`
        // is answered from that version or newer at any replica.
        func versioned(_ response: JSONValue) -> JSONValue {
            guard case .object(let members) = response else { return response }
            let header: JSONValue = .object([
                ("description", "The store's write count once this write committed; send it back as `Perigee-Min-Version` to read it at any replica"),
                ("schema", .object([("type", "string"), ("pattern", "^[0-9]+$")])),
            ])
            return .object(members + [("headers", .object([("Perigee-Version", header)]))])
        }
        let created = ("201", versioned(jsonResponse("Created; `Location` names it", ref(detailed))))
        let done = ("200", versioned(jsonResponse("The object as it now is", ref(detailed))))
        return (
            list: [operation("post", "Create \(endpoint.title) (a key of write scope)", [], body: requestBody(name + "Create"), success: created)],
            detail: [
                operation(
                    "put", "Replace \(endpoint.title): keys left out become null", [idParameter, ifMatch], body: requestBody(name + "Replace"),
                    success: done),
                operation("patch", "Change \(endpoint.title): only the keys given", [idParameter, ifMatch], body: requestBody(name), success: done),
                operation(
                    "delete", "Delete \(endpoint.title)", [idParameter, ifMatch], body: nil,
                    success: ("204", versioned(.object([("description", "Deleted")])))),
            ],
            schemas: [
                (name + "Create", writeSchema(requiring: schema.required)), (name + "Replace", writeSchema(requiring: schema.required)),
                (name, writeSchema(requiring: [])),
            ]
        )
    }

    /// A reference in a write body: the id, or an object carrying it.
    static func referenceSchema(_ target: Entity, nullable: Bool) -> JSONValue {
        let id: JSONValue = target.identifier == .integer ? .object([("type", "integer")]) : .object([("type", "string"), ("format", "uuid")])
        var members: [(String, JSONValue)] = [
            ("anyOf", .array([id, .object([("type", "object"), ("properties", .object([("id", id)])), ("required", .array(["id"]))])]))
        ]
        if nullable { members.append(("nullable", true)) }
        return .object(members)
    }

    static func jsonResponse(_ description: String, _ schema: JSONValue) -> JSONValue {
        .object([("description", .string(description)), ("content", .object([("application/json", .object([("schema", schema)]))]))])
    }

    /// The schemas of changes: as the feed lists them, and with their fields as a history does.
    static func changeSchemas() -> [(String, JSONValue)] {
        let common: [(String, JSONValue)] = [
            ("seq", .object([("type", "integer"), ("description", "The change's number: commit order")])),
            ("resource", .object([("type", "string"), ("nullable", true), ("description", "The endpoint's path, when the object has one")])),
            ("entity", .object([("type", "string")])),
            ("id", .object([("anyOf", .array([.object([("type", "integer")]), .object([("type", "string")])]))])),
            ("url", .object([("type", "string"), ("format", "uri"), ("nullable", true)])),
            ("action", .object([("type", "string"), ("enum", .array(["create", "update", "delete"]))])),
            ("at", .object([("type", "string"), ("format", "date-time")])),
            ("by", .object([("type", "string"), ("description", "`key:<name>`, `file:<name>`, or the sync's upstream")])),
        ]
        let fields: JSONValue = .object([
            ("type", "object"), ("description", "Field → [before, after]"),
            ("additionalProperties", .object([("type", "array"), ("items", .object([])), ("minItems", 2), ("maxItems", 2)])),
        ])
        func object(_ properties: [(String, JSONValue)]) -> JSONValue {
            .object([("type", "object"), ("properties", .object(properties)), ("required", .array(properties.map { .string($0.0) }))])
        }
        return [
            ("Change", object(common)),
            ("ChangeWithFields", object(common + [("fields", fields)])),
            (
                "ChangePage",
                object([
                    ("since", .object([("type", "integer")])),
                    ("last", .object([("type", "integer"), ("description", "The last change listed (`since` when none is)")])),
                    ("latest", .object([("type", "integer"), ("description", "The store's latest change now")])),
                    ("next", .object([("type", "string"), ("format", "uri")])),
                    ("results", .object([("type", "array"), ("items", ref("Change"))])),
                ])
            ),
            (
                "HistoryPage",
                object([
                    ("count", .object([("type", "integer")])),
                    ("next", .object([("type", "string"), ("format", "uri"), ("nullable", true)])),
                    ("previous", .object([("type", "string"), ("format", "uri"), ("nullable", true)])),
                    ("results", .object([("type", "array"), ("items", ref("ChangeWithFields"))])),
                ])
            ),
        ]
    }

    /// `/2.3.0/<path>/{id}/history/`.
    static func historyPath(_ endpoint: Endpoint) -> JSONValue {
        let id: JSONValue =
            endpoint.entity.identifier == .integer ? .object([("type", "integer")]) : .object([("type", "string"), ("format", "uuid")])
        return .object([
            (
                "get",
                .object([
                    ("operationId", .string(endpoint.path.replacingAll("/", with: "_") + "_history")),
                    ("summary", .string("\(endpoint.title): the object's changes, newest first (Perigee)")),
                    ("tags", .array([.string(endpoint.title)])),
                    (
                        "parameters",
                        .array([
                            parameter("id", id, in: "path"),
                            parameter("limit", .object([("type", "integer"), ("maximum", .int(Int64(ListQuery.maximumLimit)))])),
                            parameter("offset", .object([("type", "integer")])),
                        ])
                    ),
                    (
                        "responses",
                        .object(
                            [
                                ("200", jsonResponse("OK", ref("HistoryPage"))),
                                ("404", jsonResponse("No such object, now or before", ref("Detail"))),
                            ] + commonErrorResponses)
                    ),
                ])
            )
        ])
    }

    /// `/2.3.0/changes/`.
    static func changesPath() -> JSONValue {
        .object([
            (
                "get",
                .object([
                    ("operationId", "changes_list"),
                    ("summary", "Every change (imports, sync, writes) in commit order after `since`, deletions included (Perigee)"),
                    ("tags", .array(["Changes"])),
                    (
                        "parameters",
                        .array([
                            parameter(
                                "since", .object([("type", "integer"), ("minimum", 0)]), description: "The `last` of the previous answer; 0 for all"),
                            parameter("limit", .object([("type", "integer"), ("minimum", 1), ("maximum", 1000)])),
                            parameter(
                                "wait", .object([("type", "integer"), ("minimum", 0), ("maximum", 30)]),
                                description: "Seconds to wait for a change when there is none yet"),
                            parameter(
                                "Last-Event-ID", .object([("type", "integer")]), in: "header",
                                description: "With `Accept: text/event-stream`: resume after this change"),
                        ])
                    ),
                    (
                        "responses",
                        .object(
                            [
                                (
                                    "200",
                                    .object([
                                        ("description", "A page of changes, or with `Accept: text/event-stream` a stream of them (`id` is `seq`)"),
                                        (
                                            "content",
                                            .object([
                                                ("application/json", .object([("schema", ref("ChangePage"))])),
                                                ("text/event-stream", .object([("schema", .object([("type", "string")]))])),
                                            ])
                                        ),
                                    ])
                                ),
                                ("400", jsonResponse("A bad `since`, `limit` or `wait` (field errors)", ref("FieldErrors"))),
                            ] + commonErrorResponses)
                    ),
                ])
            )
        ])
    }
}
