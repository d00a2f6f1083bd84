import Hummingbird
import PerigeeCore

/// DRF's answer to `OPTIONS` (SimpleMetadata): the view's name and description, what it renders
/// and parses, with `Allow` naming the methods that work.
struct ViewDescription: ResponseGenerator {
    let name: String
    /// The help block, as text.
    let description: String

    init(name: String, endpoint: Endpoint?) {
        self.name = name
        description = endpoint.map { Self.text(of: $0.helpSections(docsHost: "lldev.thespacedevs.com")) } ?? ""
    }

    init(name: String, report: ReportEndpoint) {
        self.name = name
        description = Self.text(of: report.helpSections)
    }

    private static func text(of sections: [HelpSection]) -> String {
        sections.map { section in
            ([section.title] + section.lines.map { $0.value.isEmpty ? $0.label : "\($0.label) - \($0.value)" }).joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = JSONValue.object([
            ("name", .string(name)), ("description", .string(description)),
            ("renders", .array([.string("application/json"), .string("text/html")])),
            ("parses", .array([.string("application/json"), .string("application/x-www-form-urlencoded"), .string("multipart/form-data")])),
        ])
        return Response(
            status: .ok,
            headers: [.contentType: "application/json", .vary: "Accept, Accept-Encoding"],
            body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.compact(body))))
    }
}
