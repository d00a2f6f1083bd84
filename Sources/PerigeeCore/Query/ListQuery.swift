/// Validation errors in LL2's shape: parameter → messages (`{"spacecraft_config": ["Select a valid choice. …"]}`).
public struct FieldErrors: Error, Sendable {
    public var messages: [(field: String, messages: [String])]

    public init(_ messages: [(field: String, messages: [String])]) { self.messages = messages }

    /// The error body.
    public var json: JSONValue {
        .object(messages.map { ($0.field, .array($0.messages.map { .string($0) })) })
    }
}

/// One filter the request applies, its value already checked.
public struct AppliedFilter: Sendable {
    public let filter: BoundFilter
    /// One value, or several for an `in` lookup.
    public let values: [StoredValue]
}

/// A list request after validation: what to filter, search, order, and which page, in which mode.
public struct ListQuery: Sendable {
    public static let defaultLimit = 10
    public static let maximumLimit = 100

    public let endpoint: Endpoint
    public let filters: [AppliedFilter]
    /// Choice filters, whose ids must exist (`Select a valid choice` otherwise); the store checks them.
    public var choiceChecks: [AppliedFilter] { filters.filter { $0.filter.field.valueKind == .choice } }
    /// What the count depends on (endpoint, filters, search), when it does not depend on the clock
    /// too (a filter on a ticking figure): equal keys at one store version have equal counts.
    public var countKey: String? {
        guard !filters.contains(where: { $0.filter.path.derived?.ticks == true }), !endpoint.dependsOnClock, onlyID == nil else { return nil }
        let filterText = filters.map { "\($0.filter.field.name)=\($0.values.map { "\($0)" }.joined(separator: ","))" }.sorted()
        return ([endpoint.path] + filterText + ["search"] + searchTerms).joined(separator: "\n")
    }
    /// Case-folded search terms; every term must match some searched field.
    public let searchTerms: [String]
    /// Sort keys, the primary key last.
    public let ordering: [(path: FieldPath, descending: Bool)]
    public let limit: Int
    public let offset: Int
    public let mode: Endpoint.Mode
    /// Restricts the query to one object (a windowed view's detail route: is it in the window now?).
    public var onlyID: RecordID?
    /// What is wrong with the request's values, in django-filter's form order; the store adds what
    /// only it can tell (a chosen id that does not exist) with `errors(adding:)`.
    public let valueErrors: [(field: String, messages: [String])]

    /// Validates `parameters` against `endpoint`, throwing every value error at once.
    public init(endpoint: Endpoint, parameters: QueryParameters, limits: QueryLimits = QueryLimits()) throws(FieldErrors) {
        self.init(reading: endpoint, parameters: parameters, limits: limits)
        if let errors = errors(adding: []) { throw errors }
    }

    /// Reads `parameters` against `endpoint`: lenient where DRF is lenient (limit, offset, ordering,
    /// unknown parameters, booleans), strict where django-filter is (numbers, dates, choices); what is
    /// wrong is kept in `valueErrors` (a filter with a bad value is left out of `filters`), so that
    /// the store's own findings can be reported with it, all in one answer, as django-filter does.
    ///
    /// Beyond DRF, `limits` bounds the work a request asks for (search terms, list values, offset):
    /// each excess is a field error too, so a request is never half-honoured.
    public init(reading endpoint: Endpoint, parameters: QueryParameters, limits: QueryLimits = QueryLimits()) {
        self.endpoint = endpoint
        limit = Self.positiveInt(parameters.value("limit"), cutoff: Self.maximumLimit) ?? Self.defaultLimit
        offset = Self.nonNegativeInt(parameters.value("offset")) ?? 0
        mode = Self.mode(endpoint, parameters.value("mode"), fallback: endpoint.modes[0].name)
        var errors: [(field: String, messages: [String])] = []
        if offset > limits.offset {
            errors.append(("offset", ["Ensure this value is less than or equal to \(limits.offset)."]))
        }
        var filters: [AppliedFilter] = []
        for filter in endpoint.filters {
            guard let raw = parameters.value(filter.field.name), !raw.isEmpty else { continue }
            do throws(InvalidValue) {
                // Django's forms refuse NUL in text (ProhibitNullCharactersValidator); PostgreSQL cannot
                // store it either, so both databases answer the same 400.
                guard !raw.unicodeScalars.contains("\u{0}") else { throw InvalidValue(message: "Null characters are not allowed.") }
                let parts = filter.field.lookup.takesList ? raw.split(separator: ",").map(String.init) : [raw]
                guard parts.count <= limits.listValues else {
                    throw InvalidValue(message: "Ensure this list has at most \(limits.listValues) values (it has \(parts.count)).")
                }
                var values: [StoredValue] = []
                for part in parts {
                    if let value = try Self.filterValue(part, kind: filter.field.valueKind) { values.append(value) }
                }
                guard !values.isEmpty else { continue }
                filters.append(AppliedFilter(filter: filter, values: values))
            } catch {
                errors.append((filter.field.name, [error.message]))
            }
        }
        let terms = Self.searchTerms(parameters.value("search") ?? "", endpoint: endpoint)
        if terms.count > limits.searchTerms {
            errors.append(("search", ["Ensure this value has at most \(limits.searchTerms) terms (it has \(terms.count))."]))
        }
        valueErrors = errors
        self.filters = filters
        searchTerms = terms
        ordering = Self.ordering(parameters.value("ordering"), endpoint: endpoint)
    }

    /// Every error of the request — `valueErrors` and `found` (the store's: unknown choices) — in the
    /// order of django-filter's form (`offset`, the filters as declared, then `search`); nil when none.
    public func errors(adding found: [(field: String, messages: [String])]) -> FieldErrors? {
        let all = valueErrors + found
        guard !all.isEmpty else { return nil }
        func rank(_ field: String) -> Int {
            if field == "offset" { return -1 }
            return endpoint.filters.firstIndex { $0.field.name == field } ?? Int.max
        }
        return FieldErrors(all.enumerated().sorted { (rank($0.element.field), $0.offset) < (rank($1.element.field), $1.offset) }.map(\.element))
    }

    /// The mode named `name`, or the fallback when absent or unknown.
    public static func mode(_ endpoint: Endpoint, _ name: String?, fallback: String) -> Endpoint.Mode {
        endpoint.modes.first { $0.name == name } ?? endpoint.modes.first { $0.name == fallback } ?? endpoint.modes[0]
    }

    struct InvalidValue: Error { let message: String }

    /// The stored value a filter compares with; nil means "not filtered" (a boolean that is neither true nor false).
    static func filterValue(_ raw: String, kind: FilterValueKind) throws(InvalidValue) -> StoredValue? {
        switch kind {
        case .boolean:
            switch raw {
            case "True", "true", "1": return .boolean(true)
            case "False", "false", "0": return .boolean(false)
            default: return nil
            }
        case .text: return .text(raw)
        case .number:
            guard let number = Int64(raw.trimmingWhitespace) else { throw InvalidValue(message: "Enter a number.") }
            return .integer(number)
        case .decimal:
            guard let number = Double(raw.trimmingWhitespace), number.isFinite else { throw InvalidValue(message: "Enter a number.") }
            return .double(number)
        case .date:
            let text = raw.trimmingWhitespace
            guard text.count == 10, Timestamp(iso: text) != nil else { throw InvalidValue(message: "Enter a valid date.") }
            return .text(text)
        case .choice:
            guard let number = Int64(raw.trimmingWhitespace) else {
                throw InvalidValue(message: "Select a valid choice. That choice is not one of the available choices.")
            }
            return .integer(number)
        case .dateTime:
            guard let instant = Timestamp(iso: raw.trimmingWhitespace) else {
                throw InvalidValue(message: "Enter a valid date/time.")
            }
            return .integer(instant.microseconds)
        }
    }

    /// DRF's SearchFilter terms: NULs stripped, commas as spaces, split on white space; folded for comparison.
    static func searchTerms(_ text: String, endpoint: Endpoint) -> [String] {
        guard !endpoint.searchPaths.isEmpty else { return [] }
        let cleaned = text.replacingAll("\u{0}", with: "").replacingAll(",", with: " ")
        return cleaned.split(whereSeparator: { $0.isWhitespace }).map { SearchColumns.fold(String($0)) }
    }

    /// DRF's OrderingFilter: known names kept in order, unknown dropped (none left: the view's default
    /// ordering); then the primary key. A field named again is dropped too (the first key decides): so
    /// there are never more sort keys than ordering fields, however long the parameter.
    static func ordering(_ text: String?, endpoint: Endpoint) -> [(path: FieldPath, descending: Bool)] {
        var keys: [(path: FieldPath, descending: Bool)] = []
        var named: Set<String> = []
        for term in (text ?? "").split(separator: ",") {
            let trimmed = term.trimmingWhitespace
            let descending = trimmed.hasPrefix("-")
            let name = descending ? String(trimmed.dropFirst()) : trimmed
            guard let field = endpoint.orderingFields.first(where: { $0.name == name }), named.insert(name).inserted else { continue }
            keys.append((field.path, descending))
        }
        if keys.isEmpty { keys = endpoint.defaultOrdering }
        if !keys.contains(where: { $0.path.hops.isEmpty && $0.path.leaf.key == "id" }) {
            keys.append((FieldPath("id", from: endpoint.entity)!, false))
        }
        return keys
    }

    /// DRF's `_positive_int(strict=True, cutoff=…)`: a positive integer, capped; nil otherwise.
    static func positiveInt(_ text: String?, cutoff: Int) -> Int? {
        guard let text, let value = Int(text.trimmingWhitespace), value > 0 else { return nil }
        return min(value, cutoff)
    }

    static func nonNegativeInt(_ text: String?) -> Int? {
        guard let text, let value = Int(text.trimmingWhitespace), value >= 0 else { return nil }
        return value
    }
}

extension StringProtocol {
    var trimmingWhitespace: String {
        String(drop(while: { $0.isWhitespace }).reversed().drop(while: { $0.isWhitespace }).reversed())
    }

    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}
