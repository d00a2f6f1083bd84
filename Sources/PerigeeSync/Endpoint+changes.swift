import PerigeeCore

extension Endpoint {
    /// The field a sync can walk this endpoint's changes by: `last_updated`, where LL2 itself both
    /// filters on `last_updated__gte` and orders by `last_updated` (its launches and events). Read
    /// from the declaration; Perigee's own `last_updated` on every other endpoint (an extension LL2
    /// does not have, and whose value no object shows) is not one an upstream LL2 would honour.
    var changeField: String? {
        let field = "last_updated"
        guard filters.contains(where: { $0.field.name == field + "__gte" && !$0.field.isExtension }),
            orderingFields.contains(where: { $0.name == field }), !extensionOrdering.contains(field)
        else {
            return nil
        }
        return field
    }

    /// The list page at `offset` of a walk in the most detailed mode; for a walk of changes, only the
    /// objects changed at or after `since`, oldest change first (an object changed during the walk
    /// moves to the end, where the walk still meets it), ties by id.
    func syncPagePath(limit: Int, offset: Int, since: Timestamp?) -> String {
        var query = hasModes ? "mode=\(detailMode)&" : ""
        query += "limit=\(limit)&offset=\(offset)"
        if let since, let field = changeField {
            let tieBreak = orderingFields.contains(where: { $0.name == "id" }) ? ",id" : ""
            query += "&\(field)__gte=\(Timestamp(microseconds: since.microseconds - since.microseconds % 1_000_000).iso8601)"
            query += "&ordering=\(field)\(tieBreak)"
        }
        return APIPath.list(path) + "?\(query)"
    }
}
