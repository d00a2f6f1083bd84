/// DRF LimitOffsetPagination's `next` and `previous` links.
public enum PageLinks {
    /// - Parameters:
    ///   - pageURL: the absolute URL of the list without its query (`http://host/2.3.0/spacecraft/`).
    ///   - parameters: the request's query.
    public static func next(pageURL: String, parameters: QueryParameters, limit: Int, offset: Int, count: Int) -> String? {
        // Checked: `offset` is the client's number, and `Int.max + 10` would trap (it once took the server down).
        let (end, overflow) = offset.addingReportingOverflow(limit)
        guard !overflow, end < count else { return nil }
        let query = parameters.replacing("limit", with: String(limit)).replacing("offset", with: String(end))
        return pageURL + "?" + query.encodedSorted
    }

    /// `previous` drops `offset` when it would be 0 or less.
    public static func previous(pageURL: String, parameters: QueryParameters, limit: Int, offset: Int) -> String? {
        guard offset > 0 else { return nil }
        var query = parameters.replacing("limit", with: String(limit))
        // `offset > 0` and `limit > 0`, so `offset - limit` cannot overflow.
        if offset - limit <= 0 {
            query = query.removing("offset")
        } else {
            query = query.replacing("offset", with: String(offset - limit))
        }
        return pageURL + "?" + query.encodedSorted
    }
}
