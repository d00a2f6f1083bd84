/// The part of an entity's objects a view shows by time, relative to the request's clock: LL2's
/// upcoming and previous views (`/launches/upcoming/`: `net` from 24 hours ago on; `/launches/previous/`:
/// `net` before now). What such a view answers changes as the clock passes an object's time, so its
/// responses are kept no longer than live figures (`ResourceController`), and its counts are not cached.
public struct TimeWindow: Sendable {
    /// The date-time field the window is on (`net`), resolved against the endpoint's entity.
    public let fieldPath: String
    /// The earliest instant shown, relative to now (microseconds; −24 h for upcoming); nil: no bound.
    public let fromOffset: Int64?
    /// The first instant not shown, relative to now (0 for previous); nil: no bound.
    public let beforeOffset: Int64?

    /// Objects whose `field` is at or after `now + offset` (`offset` ≤ 0 shows the recent past too).
    public static func from(_ field: String, offset: Int64) -> TimeWindow {
        TimeWindow(fieldPath: field, fromOffset: offset, beforeOffset: nil)
    }

    /// Objects whose `field` is before `now + offset`.
    public static func before(_ field: String, offset: Int64 = 0) -> TimeWindow {
        TimeWindow(fieldPath: field, fromOffset: nil, beforeOffset: offset)
    }

    public static let day: Int64 = 86_400 * 1_000_000
}
