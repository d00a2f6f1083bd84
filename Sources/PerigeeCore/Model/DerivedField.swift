/// A field LL2 computes from other records (a spacecraft's `time_in_space`, a flight's `duration`).
/// Perigee stores it in its own columns as a line in time — `value(now) = base + rate × now`, `now` in
/// microseconds since the epoch — so that a figure that ticks with the clock (a craft still in space,
/// an open docking) is exact at any instant and sortable in SQL, while the stored row stays the same
/// until its inputs change. The imported figure stays in the field's own column, untouched.
public struct DerivedField: Sendable {
    /// How the value is written.
    public enum Kind: Sendable, Equatable {
        case boolean
        case integer
        /// An ISO 8601 duration; `wholeSeconds` drops the fraction (LL2's spacecraft figures have none).
        case duration(wholeSeconds: Bool)
        /// A date-time (a core's first launch), in microseconds like the field it derives.
        case instant
    }

    /// The JSON key it is served under.
    public let key: String
    public let kind: Kind
    /// Whether it can grow with the clock (has a rate column).
    public let ticks: Bool

    /// The column holding the value, or the base of the line when it ticks.
    public let column: String
    /// The column holding the rate (how many clocks run at once: open flights, open dockings).
    /// Stored, not computed: every rendered figure reads both names.
    public let rateColumn: String?

    public init(_ key: String, _ kind: Kind, ticks: Bool = false) {
        self.key = key
        self.kind = kind
        self.ticks = ticks
        column = "derived__" + key
        rateColumn = ticks ? "derived__" + key + "__rate" : nil
    }

    /// The value at `now` from a stored row; nil when it is null.
    public func value(in row: [String: StoredValue], now: Timestamp) -> StoredValue? {
        guard let stored = row[column], !stored.isNull else { return nil }
        guard let rateColumn, case .integer(let base) = stored else { return stored }
        let rate = row[rateColumn]?.integer ?? 0
        // Saturating: the bounds (`DataBounds`) keep stored lines evaluable, but a store written
        // before them existed must still never trap a reader.
        let micros = CheckedMath.saturating(base, plus: rate, times: now.microseconds)
        if case .duration(true) = kind { return .integer(micros - micros % 1_000_000) }
        return .integer(micros)
    }
}

/// The moment an entity's imported figures were read, so that a live imported figure (a craft in
/// space whose flights Perigee does not hold) can tick on from then.
public struct ImportStamp: Sendable {
    /// The column holding the moment (microseconds since the epoch).
    public let column: String
    /// The keys whose import sets the stamp.
    public let keys: [String]
}
