import PerigeeCore

/// DRF's raw-data form, shown under a browsable page to a caller whose key may write: the JSON to
/// send in a textarea and a button per write method (`POST` on a list; `PUT`, `PATCH` and `DELETE`
/// on an object). `/static/browsable.js` sends it with `fetch` (the page's own cookie or
/// `Authorization`), adding `If-Match` with the tag of the object as shown, so a write made from
/// a page read before someone else's change is refused (412), not lost.
struct RawDataForm: Sendable {
    /// The route the form writes to (the page's path, without its query).
    let target: String
    /// The methods its buttons send, besides `DELETE`.
    let methods: [String]
    /// Whether the page's object may be deleted (a `DELETE` button).
    let deletable: Bool
    /// The textarea's text: the object as a JSON client reads it, or a blank new one.
    let content: String
    /// `If-Match` for `PUT`, `PATCH` and `DELETE`: the object's tag as read.
    let ifMatch: String?
    /// Where to go once the object is deleted: its list.
    let listPage: String

    /// The form of a list page: `POST` a new object, starting from the endpoint's blank body.
    static func create(_ schema: WriteSchema, path: String) -> RawDataForm {
        RawDataForm(
            target: path, methods: ["POST"], deletable: false, content: JSONWriter.pretty(schema.blankBody), ifMatch: nil,
            listPage: path + "?format=api")
    }

    /// The form of an object's page: the object's JSON (with JSON links, as a write must repeat
    /// them), `PUT`/`PATCH` and `DELETE`, conditional on `tag`.
    static func edit(json: [UInt8], tag: String, path: String, listPath: String) -> RawDataForm {
        let value = (try? JSONValue.parse(bytes: json)) ?? .null
        return RawDataForm(
            target: path, methods: ["PUT", "PATCH"], deletable: true, content: JSONWriter.pretty(value), ifMatch: tag,
            listPage: listPath + "?format=api")
    }

    /// The template's view of the form.
    var context: [String: Any] {
        var fields: [String: Any] = [
            "target": target, "methods": methods, "content": content, "listPage": listPage, "deletable": deletable,
        ]
        if let ifMatch { fields["ifMatch"] = ifMatch }
        return fields
    }
}
