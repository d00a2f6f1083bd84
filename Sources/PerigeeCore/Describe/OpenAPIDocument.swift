/// The OpenAPI 3.0 document of exactly what Perigee serves, generated from the endpoint declarations
/// and the shapes: paths with their parameters (filters, search, ordering, limit, offset, mode, format),
/// one schema per shape with its keys in order, and `response_mode` discriminators per mode; and
/// beyond LL2, curators' writes, each object's history and the change feed (`+changes`).
///
/// Nullability says what Perigee can emit: every field may be null (an object can be known only from
/// a less detailed copy, and Perigee never invents values), except `id`, `url`, `response_mode` and
/// lists, which are always present (`[]` when empty).
public enum OpenAPIDocument {
    /// The whole document.
    public static func make(serverURL: String) -> JSONValue {
        var schemas: [(String, JSONValue)] = []
        var seen: Set<String> = []
        func collect(_ shape: Shape) {
            guard seen.insert(shape.name).inserted else { return }
            schemas.append((shape.name, schema(of: shape)))
            for member in shape.members {
                switch member {
                case .object(_, let nested), .list(_, let nested), .first(_, let nested): collect(nested)
                default: break
                }
            }
        }
        for endpoint in Endpoints.all { for mode in endpoint.modes { collect(mode.shape) } }
        schemas.sort { $0.0 < $1.0 }
        schemas.append(
            (
                "Detail",
                .object([("type", "object"), ("properties", .object([("detail", .object([("type", "string")]))])), ("required", .array(["detail"]))])
            ))
        schemas.append(
            (
                "FieldErrors",
                .object([
                    ("type", "object"), ("additionalProperties", .object([("type", "array"), ("items", .object([("type", "string")]))])),
                ])
            ))
        var paths: [(String, JSONValue)] = [(APIPath.root, rootPath()), (APIPath.changes, changesPath())]
        schemas += changeSchemas()
        for endpoint in Endpoints.all {
            let writes = writeOperations(endpoint)
            paths.append((APIPath.list(endpoint.path), adding(writes.list, to: listPath(endpoint))))
            paths.append((APIPath.detail(endpoint.path, id: "{id}"), adding(writes.detail, to: detailPath(endpoint))))
            schemas += writes.schemas
            if endpoint.window == nil, endpoint.entity.path == endpoint.path {
                paths.append((APIPath.history(endpoint.path, id: "{id}"), historyPath(endpoint)))
            }
        }
        for report in Endpoints.reports {
            paths.append((APIPath.list(report.path), reportPath(report)))
            schemas.append((report.schemaName, reportSchema(report)))
        }
        paths.sort { $0.0 < $1.0 }
        return .object([
            ("openapi", "3.0.3"),
            (
                "info",
                .object([
                    ("title", "Perigee — Launch Library 2 compatible API"), ("version", "2.3.0"),
                    ("description", "A self-hosted server answering Launch Library 2 (2.3.0) requests from its own store."),
                ])
            ),
            ("servers", .array([.object([("url", .string(serverURL))])])),
            ("paths", .object(paths)),
            // Anonymous, or an API key: every operation takes either.
            ("security", .array([.object([]), .object([("Token_Authentication", .array([]))])])),
            ("components", .object([("schemas", .object(schemas)), ("securitySchemes", securitySchemes)])),
        ])
    }

    /// A path item with more operations.
    static func adding(_ operations: [(String, JSONValue)], to path: JSONValue) -> JSONValue {
        .object((path.objectMembers ?? []) + operations)
    }

    static func ref(_ name: String) -> JSONValue { .object([("$ref", .string("#/components/schemas/\(name)"))]) }

    static func schema(of shape: Shape) -> JSONValue {
        var properties: [(String, JSONValue)] = []
        for member in shape.members {
            let key = Shape.key(of: member)
            switch member {
            case .responseMode:
                properties.append((key, .object([("type", "string"), ("enum", .array([.string(shape.responseMode ?? "")]))])))
            case .id:
                properties.append(
                    (key, shape.entity.identifier == .integer ? .object([("type", "integer")]) : .object([("type", "string"), ("format", "uuid")])))
            case .url:
                properties.append((key, .object([("type", "string"), ("format", "uri")])))
            case .field(let name):
                properties.append((key, fieldSchema(shape.entity.field(name)!.kind)))
            case .object(_, let nested), .first(_, let nested):
                properties.append((key, nullableReference(nested.name)))
            case .list(_, let nested):
                properties.append((key, .object([("type", "array"), ("items", ref(nested.name))])))
            case .group: break
            }
        }
        return .object([
            ("type", "object"), ("properties", .object(properties)), ("required", .array(properties.map { .string($0.0) })),
        ])
    }

    /// "This object, or null". Spelled with `anyOf` and a null-only branch: in OpenAPI 3.0 `nullable`
    /// beside a `$ref` or `allOf` does not make the referenced schema accept null.
    static func nullableReference(_ name: String) -> JSONValue {
        .object([("anyOf", .array([ref(name), .object([("enum", .array([.null])), ("nullable", true)])]))])
    }

    static func fieldSchema(_ kind: FieldKind) -> JSONValue {
        func nullable(_ type: String, format: String? = nil) -> JSONValue {
            var members: [(String, JSONValue)] = [("type", .string(type))]
            if let format { members.append(("format", .string(format))) }
            members.append(("nullable", true))
            return .object(members)
        }
        switch kind {
        case .text: return nullable("string")
        case .integer: return nullable("integer")
        case .double: return nullable("number", format: "double")
        case .boolean: return nullable("boolean")
        case .date: return nullable("string", format: "date")
        case .dateTime: return nullable("string", format: "date-time")
        case .duration: return .object([("type", "string"), ("description", "ISO 8601 duration"), ("nullable", true)])
        case .embedded: return .object([("nullable", true)])
        case .embeddedList: return .object([("type", "array"), ("items", .object([]))])
        case .reference, .referenceList, .children, .reverseList: return .object([])
        }
    }

    static func parameter(_ name: String, _ schema: JSONValue, in location: String = "query", description: String? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [("name", .string(name)), ("in", .string(location))]
        if location == "path" { members.append(("required", true)) }
        if let description { members.append(("description", .string(description))) }
        members.append(("schema", schema))
        return .object(members)
    }

    static func filterSchema(_ filter: FilterField) -> JSONValue {
        let base: JSONValue
        switch filter.valueKind {
        case .boolean: base = .object([("type", "boolean")])
        case .text: base = .object([("type", "string")])
        case .number, .choice: base = .object([("type", "integer")])
        case .decimal: base = .object([("type", "number")])
        case .date: base = .object([("type", "string"), ("format", "date")])
        case .dateTime: base = .object([("type", "string"), ("format", "date-time")])
        }
        // A comma-separated list travels as one string.
        return filter.lookup.takesList ? .object([("type", "string"), ("description", "Comma-separated list")]) : base
    }

    static func commonParameters(_ endpoint: Endpoint) -> [JSONValue] {
        var parameters: [JSONValue] = []
        if endpoint.hasModes {
            parameters.append(
                parameter(
                    "mode", .object([("type", "string"), ("enum", .array(endpoint.modes.map { .string($0.name) }))]),
                    description: "Level of detail in the response."))
        }
        parameters.append(parameter("format", .object([("type", "string"), ("enum", .array(["json", "api"]))])))
        return parameters
    }

    static func listPath(_ endpoint: Endpoint) -> JSONValue {
        var parameters = endpoint.filters.map { parameter($0.field.name, filterSchema($0.field)) }
        if !endpoint.searchPaths.isEmpty {
            parameters.append(
                parameter(
                    "search", .object([("type", "string")]), description: "Fields searched - " + endpoint.searchNames.sorted().joined(separator: ", ")
                ))
        }
        if !endpoint.orderingFields.isEmpty {
            let names = endpoint.orderingFields.map(\.name).sorted()
            parameters.append(
                parameter(
                    "ordering", .object([("type", "string")]),
                    description: "Comma-separated; prefix - for descending. Fields - " + names.joined(separator: ", ")))
        }
        parameters.append(parameter("limit", .object([("type", "integer"), ("maximum", .int(Int64(ListQuery.maximumLimit)))])))
        parameters.append(parameter("offset", .object([("type", "integer")])))
        parameters += commonParameters(endpoint)
        let page: JSONValue = .object([
            ("type", "object"),
            (
                "properties",
                .object([
                    ("count", .object([("type", "integer")])),
                    ("next", .object([("type", "string"), ("format", "uri"), ("nullable", true)])),
                    ("previous", .object([("type", "string"), ("format", "uri"), ("nullable", true)])),
                    ("results", .object([("type", "array"), ("items", bodySchema(endpoint))])),
                ])
            ),
            ("required", .array(["count", "next", "previous", "results"])),
        ])
        return operation(endpoint, id: "list", summary: "List \(endpoint.title)", parameters: parameters, body: page, notFound: false)
    }

    static func detailPath(_ endpoint: Endpoint) -> JSONValue {
        let id: JSONValue =
            endpoint.entity.identifier == .integer ? .object([("type", "integer")]) : .object([("type", "string"), ("format", "uuid")])
        let parameters = [parameter("id", id, in: "path")] + commonParameters(endpoint)
        return operation(
            endpoint, id: "retrieve", summary: "Get \(endpoint.title)", parameters: parameters, body: bodySchema(endpoint), notFound: true)
    }

    /// One mode's shape, or all of them with `response_mode` as the discriminator.
    static func bodySchema(_ endpoint: Endpoint) -> JSONValue {
        guard endpoint.hasModes else { return ref(endpoint.modes[0].shape.name) }
        return .object([
            ("oneOf", .array(endpoint.modes.map { ref($0.shape.name) })),
            (
                "discriminator",
                .object([
                    ("propertyName", "response_mode"),
                    ("mapping", .object(endpoint.modes.map { ($0.shape.responseMode ?? $0.name, .string("#/components/schemas/\($0.shape.name)")) })),
                ])
            ),
        ])
    }

    static func operation(
        _ endpoint: Endpoint, id: String, summary: String, parameters: [JSONValue], body: JSONValue, notFound: Bool
    )
        -> JSONValue
    {
        var responses: [(String, JSONValue)] = [
            ("200", response("OK", body)),
            ("304", .object([("description", "Not modified: the client's `If-None-Match` names the current `ETag`")])),
            (
                "400",
                response(
                    "Invalid filter value or limit exceeded (field errors), or a refused Host/forwarded header (detail)",
                    .object([("anyOf", .array([ref("FieldErrors"), ref("Detail")]))]))
            ),
            ("404", response(notFound ? "No such object, or an unknown `format`" : "An unknown `format`", ref("Detail"))),
        ]
        responses += commonErrorResponses
        return .object([
            (
                "get",
                .object([
                    ("operationId", .string(endpoint.path.replacingAll("/", with: "_") + "_" + id)), ("summary", .string(summary)),
                    ("tags", .array([.string(endpoint.title)])), ("parameters", .array(parameters)), ("responses", .object(responses)),
                ])
            )
        ])
    }

    /// A response in JSON, or in the browsable page (`format=api`, or a browser's `Accept: text/html`).
    static func response(_ description: String, _ schema: JSONValue) -> JSONValue {
        .object([
            ("description", .string(description)),
            (
                "content",
                .object([
                    ("application/json", .object([("schema", schema)])),
                    ("text/html", .object([("schema", .object([("type", "string")]))])),
                ])
            ),
        ])
    }

    /// What any route may answer besides its own: the limits on what a client sends, a store that is
    /// not ready or not reachable (with `Retry-After`), and a method the read API does not allow.
    static let commonErrorResponses: [(String, JSONValue)] = [
        ("401", response("An `Authorization: Token` header naming no valid key (DRF: `Invalid token.`)", ref("Detail"))),
        ("429", response("Over the caller's rate; retry after `Retry-After` seconds", ref("Detail"))),
        ("405", response("Method not allowed", ref("Detail"))),
        ("413", response("Request body too large (the read API takes none)", ref("Detail"))),
        ("414", response("Request URL too long", ref("Detail"))),
        (
            "431",
            .object([
                ("description", "Request header fields too large"),
                ("content", .object([("application/json", .object([("schema", ref("Detail"))]))])),
            ])
        ),
        ("503", response("The store is not ready or not reachable, or the request took too long; retry after `Retry-After` seconds", ref("Detail"))),
    ]

    static func rootPath() -> JSONValue {
        .object([
            (
                "get",
                .object([
                    ("operationId", "api_root"), ("summary", "The endpoints and their URLs"),
                    (
                        "responses",
                        .object(
                            [
                                (
                                    "200",
                                    response(
                                        "OK",
                                        .object([("type", "object"), ("additionalProperties", .object([("type", "string"), ("format", "uri")]))]))
                                ),
                                ("400", response("A refused Host or forwarded header", ref("Detail"))),
                                ("404", response("An unknown `format`", ref("Detail"))),
                            ] + commonErrorResponses)
                    ),
                ])
            )
        ])
    }

    /// LL2's key scheme, under LL2's name for it.
    static let securitySchemes: JSONValue = .object([
        (
            "Token_Authentication",
            .object([
                ("type", "apiKey"), ("in", "header"), ("name", "Authorization"),
                (
                    "description",
                    "The word `Token`, a space and the key: `Authorization: Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b` (`perigee keys create`)."
                ),
            ])
        )
    ])

    static func reportSchema(_ report: ReportEndpoint) -> JSONValue {
        .object([
            ("type", "object"),
            (
                "properties",
                .object(report.fields.map { ($0.name, .object([("type", .string($0.type)), ("description", .string($0.description))])) })
            ),
            ("required", .array(report.fields.map { .string($0.name) })),
        ])
    }

    static func reportPath(_ report: ReportEndpoint) -> JSONValue {
        let format = parameter("format", .object([("type", "string"), ("enum", .array(["json", "api"]))]))
        return .object([
            (
                "get",
                .object([
                    ("operationId", .string(report.path.replacingAll("-", with: "_") + "_retrieve")), ("summary", .string(report.summary)),
                    ("tags", .array([.string(report.title)])), ("parameters", .array([format])),
                    (
                        "responses",
                        .object(
                            [
                                ("200", response("OK", ref(report.schemaName))),
                                ("400", response("A refused Host or forwarded header", ref("Detail"))),
                                ("404", response("An unknown `format`", ref("Detail"))),
                            ] + commonErrorResponses)
                    ),
                ])
            )
        ])
    }
}
