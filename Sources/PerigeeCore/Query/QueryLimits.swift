/// Bounds on the work one list request can ask for. Each has a default sane for LL2's data and a
/// `perigee serve` option; a request over a bound is a 400 in django-filter's shape, never a 500
/// or a query that runs for minutes (a `search` of 2,000 terms once took PostgreSQL 15 minutes).
public struct QueryLimits: Sendable, Equatable {
    /// Terms in `search` (after splitting on white space and commas).
    public var searchTerms: Int
    /// Values in one comma-separated filter (`id=1,2,3`).
    public var listValues: Int
    /// The largest `offset`.
    public var offset: Int

    public init(searchTerms: Int = 20, listValues: Int = 100, offset: Int = 10_000_000) {
        self.searchTerms = searchTerms
        self.listValues = listValues
        self.offset = offset
    }
}
