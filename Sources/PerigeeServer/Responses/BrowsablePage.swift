import Foundation
import Hummingbird
import Mustache
import PerigeeCore

/// DRF's browsable API page: the view's name and help, the request line, the response's status line
/// and headers, and the JSON pretty-printed with every URL a link. Rendered with swift-mustache, which
/// escapes every value; the JSON block is escaped here (`JSONHTML`). Its header offers to sign in
/// (`SignInRoutes`) or out; a caller whose key may write also gets DRF's raw-data form (`form`).
struct BrowsablePage {
    let title: String
    let help: [HelpSection]
    let request: Request
    let status: HTTPResponse.Status
    let value: JSONValue
    var form: RawDataForm? = nil

    static let template: MustacheTemplate = {
        let url = Bundle.module.url(forResource: "Templates/browsable", withExtension: "mustache")!
        return try! MustacheTemplate(string: String(contentsOf: url, encoding: .utf8))
    }()

    var html: String {
        let query = request.uri.query.map { "?" + $0 } ?? ""
        let json = QueryParameters(query: request.uri.query ?? "").replacing("format", with: "json")
        var context: [String: Any] = [
            "title": title,
            "hasHelp": !help.isEmpty,
            "sections": help.map { section in
                [
                    "title": section.title,
                    "lines": section.lines.map { line in
                        var fields: [String: Any] = ["label": line.label, "value": line.value, "hasValue": !line.value.isEmpty]
                        if let link = line.link { fields["link"] = link }
                        return fields
                    },
                ] as [String: Any]
            },
            "jsonLink": request.uri.path + "?" + json.encodedSorted,
            "requestLine": request.uri.path + query,
            "statusLine": "\(status.code) \(status.reasonPhrase)",
            // LL2's page text, as the captures show it (its views allow GET only); the HTTP response's
            // own `Allow` names HEAD and OPTIONS too, which Perigee answers. A writer's page names the
            // methods its form sends, as DRF's page does for a user who may write.
            "headers": [
                [
                    "name": "Allow",
                    "value": form.map { (["GET", "HEAD", "OPTIONS"] + $0.methods + ($0.deletable ? ["DELETE"] : [])).joined(separator: ", ") }
                        ?? "GET",
                ],
                ["name": "Content-Type", "value": "application/json"],
                ["name": "Vary", "value": "Accept"],
            ],
            "body": JSONHTML.pretty(value),
        ]
        let here = request.uri.path + query
        if BrowserSession.session(in: request) != nil {
            context["signOut"] = ["next": here]
        } else {
            context["signIn"] = "/api-auth/login/?" + QueryParameters(pairs: [("next", here)]).encodedSorted
        }
        if let form { context["form"] = form.context }
        // Absent keys, not nil values: a nil would render as the text "nil".
        if let previous = value["previous"]?.stringValue { context["previous"] = previous }
        if let next = value["next"]?.stringValue { context["next"] = next }
        return Self.template.render(context)
    }
}

/// The pretty JSON of the page as HTML: the layout of `JSONWriter.pretty`, with every string
/// HTML-escaped and every `http(s)` string a link.
enum JSONHTML {
    static func pretty(_ value: JSONValue) -> String {
        var out: [UInt8] = []
        JSONWriter.write(value, into: &out, indent: 4, level: 0) { text, isKey, out in
            var escaped: [UInt8] = []
            JSONWriter.writeString(text, into: &escaped)
            let html = escapeHTML(String(decoding: escaped, as: UTF8.self))
            if !isKey, text.hasPrefix("http://") || text.hasPrefix("https://") {
                out.append(contentsOf: "<a href=\"\(escapeHTML(text))\" rel=\"nofollow\">\(html)</a>".utf8)
            } else {
                out.append(contentsOf: html.utf8)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func escapeHTML(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
