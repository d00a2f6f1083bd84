/// What Perigee accepts from any source (import, sync, a curator's write), chosen so that nothing
/// computed from accepted values can overflow: every figure is an Int64 of microseconds, and these
/// bounds leave every sum Perigee forms either representable or refused on the way in.
public enum DataBounds {
    /// Ids are 0…2^53−1: what a JavaScript client can hold exactly, and far from Int64's end, so the
    /// next id after any stored one is still an id. (0, not 1: LL2's `net_precision` "Second" is id 0.)
    public static let ids: ClosedRange<Int64> = 0...(1 << 53 - 1)

    /// Date-times are Python's (LL2's) range, years 1…9999.
    public static let earliestYear = 1

    /// A duration is no longer than the span of date-times (10,000 years): any duration between two
    /// date-times LL2 can write fits, with room for sums of many.
    public static let longestDuration: Int64 = 10_000 * 366 * 86_400 * 1_000_000

    /// A ticking figure (`base + rate × now`) must stay representable for every `now` up to this
    /// instant (3000-01-01T00:00:00Z), so that SQL evaluating it for ordering or filtering never overflows.
    public static let horizon: Int64 = 32_503_680_000 * 1_000_000

    /// Embedded JSON (crews, links) nests at most this deep and its lists hold at most
    /// `embeddedListLength` items: what LL2 sends is 3–4 deep and short, and the browsable page's
    /// indentation grows with depth.
    public static let embeddedDepth = 32
    /// The most items one embedded list holds.
    public static let embeddedListLength = 1_000

    /// What is wrong with embedded JSON `value`, in DRF's words; nil when it is within the bounds.
    public static func embeddedProblem(_ value: JSONValue) -> String? {
        func walk(_ value: JSONValue, depth: Int) -> String? {
            guard depth <= embeddedDepth else { return "Ensure this value is nested at most \(embeddedDepth) levels deep." }
            switch value {
            case .array(let elements):
                guard elements.count <= embeddedListLength else {
                    return "Ensure this list has at most \(embeddedListLength) items (it has \(elements.count))."
                }
                for element in elements { if let problem = walk(element, depth: depth + 1) { return problem } }
            case .object(let members):
                for (_, member) in members { if let problem = walk(member, depth: depth + 1) { return problem } }
            default: break
            }
            return nil
        }
        return walk(value, depth: 1)
    }

    /// Whether `id` is one Perigee accepts.
    public static func isValidID(_ id: Int64) -> Bool { ids.contains(id) }

    /// The message for an id outside `ids` (import and write alike).
    public static let idMessage = "Ensure this value is between 0 and 9007199254740991 (2^53 - 1)."
}

/// A figure computed from stored values that Int64 microseconds cannot hold: the write that would
/// have made it is refused (import: the file fails; API: a field error), never stored, never a trap.
public struct UnrepresentableFigure: Error, Sendable, CustomStringConvertible {
    /// The entity and id whose figure overflowed, and the figure's JSON key.
    public let entity: String
    /// The object's id, when it has one yet.
    public let id: RecordID?
    /// The figure's JSON key (`time_docked`).
    public let key: String
    /// The keys whose values feed the figure (a write names the first one its body carries).
    public let inputs: [String]

    /// The figure `key` of `entity` `id`, fed by `inputs`.
    public init(entity: String, id: RecordID?, key: String, inputs: [String]) {
        self.entity = entity
        self.id = id
        self.key = key
        self.inputs = inputs
    }

    /// What the write would have made, for the field error or the import failure.
    public var description: String {
        "the \(entity)\(id.map { " \($0)" } ?? "")'s \(key) would exceed what Perigee can represent (Int64 microseconds, evaluable until year 3000)"
    }
}

/// Int64 arithmetic that reports overflow instead of trapping.
public enum CheckedMath {
    /// The result did not fit in Int64.
    public struct Overflow: Error, Sendable {
        public init() {}
    }

    /// `a + b`, or `Overflow`.
    public static func add(_ a: Int64, _ b: Int64) throws(Overflow) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        if overflow { throw Overflow() }
        return sum
    }

    /// `a − b`, or `Overflow`.
    public static func subtract(_ a: Int64, _ b: Int64) throws(Overflow) -> Int64 {
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        if overflow { throw Overflow() }
        return difference
    }

    /// `a × b`, or `Overflow`.
    public static func multiply(_ a: Int64, _ b: Int64) throws(Overflow) -> Int64 {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        if overflow { throw Overflow() }
        return product
    }

    /// `a + b × c`, clamped to Int64's range: for reading values already stored (never trapping on a
    /// store written before the bounds existed).
    public static func saturating(_ a: Int64, plus b: Int64, times c: Int64) -> Int64 {
        let (product, productOverflow) = b.multipliedReportingOverflow(by: c)
        if productOverflow { return (b < 0) != (c < 0) ? .min : .max }
        let (sum, sumOverflow) = a.addingReportingOverflow(product)
        if sumOverflow { return product < 0 ? .min : .max }
        return sum
    }
}
