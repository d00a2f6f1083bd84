import Foundation
import Hummingbird
import PerigeeCore

/// `/2.3.0/schema/` (the OpenAPI document, JSON or `?format=yaml`), `/2.3.0/swagger/` (Swagger UI
/// loaded from the public CDN, with a readable message where the browser has no network) and `/docs`.
enum DocsRoutes {
    /// Generated once: it depends only on the declarations. Servers are relative, so any host works.
    static let document = OpenAPIDocument.make(serverURL: "/")
    static let documentJSON = StaticBody(contentType: "application/json", ByteBuffer(bytes: JSONWriter.compact(document)))
    static let documentYAML = StaticBody(contentType: "application/yaml; charset=utf-8", ByteBuffer(string: document.yaml))

    /// `/2.3.0/schema/`: the document as JSON, or YAML with `?format=yaml`.
    static func schema(_ request: Request) -> Response {
        let body = QueryParameters(query: request.uri.query ?? "").value("format") == "yaml" ? documentYAML : documentJSON
        return APIResponse.response(
            status: .ok, contentType: body.contentType, body: body.body, etag: body.etag, gzipped: { body.gzipped }, request: request)
    }

    /// `/2.3.0/swagger/`: Swagger UI's page.
    static func swagger() -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: BrowserPolicy.swaggerPolicy],
            body: .init(byteBuffer: ByteBuffer(string: swaggerPage)))
    }

    /// The pages' own assets, so that their Content-Security-Policy needs no inline allowance.
    static let assets = [stylesheet, pageScript, swaggerScript]

    /// One of `assets`, by path (the route table mounts each).
    static func asset(_ path: String, _ request: Request) -> Response {
        guard let asset = assets.first(where: { $0.path == path }) else { return Response(status: .notFound) }
        var response = APIResponse.response(
            status: .ok, contentType: asset.body.contentType, body: asset.body.body, etag: asset.body.etag,
            gzipped: { asset.body.gzipped }, request: request)
        response.headers[.cacheControl] = "public, max-age=3600"
        return response
    }

    /// `/docs`: to Swagger UI.
    static func docs() -> Response { Response(status: .found, headers: [.location: APIPath.list("swagger")]) }

    static let schemaPath = APIPath.list("schema")
    static let swaggerPage = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Perigee API – Swagger UI</title>
        <link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css">
        </head>
        <body>
        <div id="offline" hidden>
        <h1>Swagger UI could not be loaded</h1>
        <p>It comes from a public CDN, which this browser cannot reach. The API description itself is served
        by Perigee: <a href="\(schemaPath)">\(schemaPath)</a> (JSON) or
        <a href="\(schemaPath)?format=yaml">\(schemaPath)?format=yaml</a>, and every endpoint has a browsable
        page, starting at <a href="\(APIPath.root)?format=api">\(APIPath.root)</a>.</p>
        </div>
        <div id="swagger-ui"></div>
        <script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js" defer></script>
        <script src="/static/swagger.js" defer></script>
        <noscript><p>Swagger UI needs JavaScript. The document is at <a href="\(schemaPath)">\(schemaPath)</a>.</p></noscript>
        </body>
        </html>
        """
}

/// A file the pages load, served from memory.
struct StaticAsset: Sendable {
    let path: String
    let body: StaticBody
}

extension DocsRoutes {
    /// The browsable page's stylesheet (`Templates/browsable.css`).
    static let stylesheet = StaticAsset(
        path: "/static/browsable.css",
        body: StaticBody(contentType: "text/css; charset=utf-8", ByteBuffer(string: template("browsable", "css"))))
    /// The browsable page's raw-data form (`Templates/browsable.js`, `RawDataForm`).
    static let pageScript = StaticAsset(
        path: "/static/browsable.js",
        body: StaticBody(contentType: "text/javascript; charset=utf-8", ByteBuffer(string: template("browsable", "js"))))
    /// Starts Swagger UI once its bundle has loaded, or shows the offline message when it could not.
    static let swaggerScript = StaticAsset(
        path: "/static/swagger.js",
        body: StaticBody(
            contentType: "text/javascript; charset=utf-8",
            ByteBuffer(
                string: """
                    if (window.SwaggerUIBundle) {
                      SwaggerUIBundle({ url: "\(schemaPath)", dom_id: "#swagger-ui" });
                    } else {
                      document.getElementById("offline").hidden = false;
                    }
                    """)))

    static func template(_ name: String, _ ext: String) -> String {
        let url = Bundle.module.url(forResource: "Templates/\(name)", withExtension: ext)!
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }
}

/// A body made once at startup, with its tag and its gzipped form.
struct StaticBody: Sendable {
    let contentType: String
    let body: ByteBuffer
    let etag: String
    let gzipped: ByteBuffer

    init(contentType: String, _ body: ByteBuffer) {
        self.contentType = contentType
        self.body = body
        etag = CachedResponse.etag(of: body)
        gzipped = ContentCoding.gzip(body)
    }
}
