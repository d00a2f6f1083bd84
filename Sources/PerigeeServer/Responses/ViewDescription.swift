import Hummingbird
import PerigeeCore

/// DRF's answer to `OPTIONS` (SimpleMetadata): the view's name and description, what it renders
/// and parses, with `Allow` naming the methods that work.
struct ViewDescription: ResponseGenerator {
    let name: String
    let endpoint: Endpoint?

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let description = endpoint.map { endpoint in
            endpoint.helpSections(docsHost: "lldev.thespacedevs.com").map { section in
                ([section.title] + section.lines.map { $0.value.isEmpty ? $0.label : "\($0.label) - \($0.value)" }).joined(separator: "\n")
            }.joined(separator: "\n\n")
        } ?? ""
        let body = JSONValue.object([
            ("name", .string(name)), ("description", .string(description)),
            ("renders", .array([.string("application/json"), .string("text/html")])),
            ("parses", .array([.string("application/json"), .string("application/x-www-form-urlencoded"), .string("multipart/form-data")])),
        ])
        return Response(
            status: .ok,
            headers: [.contentType: "application/json", .allow: APIResponse.allowedMethods, .vary: "Accept, Accept-Encoding"],
            body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.compact(body))))
    }
}
