/// Computes the derived figures of spacecraft and their flights from the records (NOTES.md,
/// "Derived statistics"). Pure: the store gathers the facts, this returns the derived columns.
///
/// A spacecraft's figures are computed when the store holds every flight of it (at least as many
/// as its imported `flights_count`) and each flight's launch `net`; otherwise its imported figures
/// are served, and a live one (in space, or with an open docking Perigee knows of) ticks on from
/// the moment it was imported. A flight's `duration` is computed when its launch `net` is known.
public enum FlightStatistics {
    /// What the store knows of a flight.
    public struct Flight: Sendable {
        public var id: RecordID
        /// The craft it flew, when known.
        public var spacecraft: RecordID?
        /// When the flight ended (microseconds); nil while it is in space or when unknown.
        public var missionEnd: Int64?
        /// The launch's `net`, when the launch came with one.
        public var net: Int64?
        /// The `duration` and `turn_around_time` upstream sent (microseconds), served when they cannot be computed.
        public var importedDuration: Int64?
        public var importedTurnaround: Int64?
        /// When those were true (the import's or upstream's time), for figures that tick on from them.
        public var importedAt: Int64?

        /// A flight as the store read it.
        public init(
            id: RecordID, spacecraft: RecordID?, missionEnd: Int64?, net: Int64?, importedDuration: Int64?,
            importedTurnaround: Int64?, importedAt: Int64?
        ) {
            self.id = id
            self.spacecraft = spacecraft
            self.missionEnd = missionEnd
            self.net = net
            self.importedDuration = importedDuration
            self.importedTurnaround = importedTurnaround
            self.importedAt = importedAt
        }
    }

    /// A docking event of a flight (as the chaser).
    public struct Docking: Sendable {
        /// The chaser's flight.
        public var flight: RecordID
        /// When it docked and departed (microseconds); nil when not (yet) known.
        public var docking: Int64?
        public var departure: Int64?

        /// A docking event as the store read it.
        public init(flight: RecordID, docking: Int64?, departure: Int64?) {
            self.flight = flight
            self.docking = docking
            self.departure = departure
        }
    }

    /// What the store knows of a spacecraft: its imported figures, by JSON key.
    public struct Spacecraft: Sendable {
        public var id: RecordID
        /// The figures upstream sent, by JSON key (`time_in_space`, `flights_count`, …).
        public var imported: [String: StoredValue]
        /// When they were true, for figures that tick on from them.
        public var importedAt: Int64?

        /// A spacecraft as the store read it.
        public init(id: RecordID, imported: [String: StoredValue], importedAt: Int64?) {
            self.id = id
            self.imported = imported
            self.importedAt = importedAt
        }
    }

    /// `value(now) = base + rate × now`.
    struct Line: Equatable {
        var base: Int64
        var rate: Int64

        static func constant(_ value: Int64) -> Line { Line(base: value, rate: 0) }

        /// A value that was `value` at `at` and has grown with `clocks` clocks since.
        static func ticking(_ value: Int64, since at: Int64, clocks: Int64) throws(CheckedMath.Overflow) -> Line {
            Line(base: try CheckedMath.subtract(value, try CheckedMath.multiply(clocks, at)), rate: clocks)
        }

        /// Adds a span `end − start` that has ended.
        mutating func add(from start: Int64, to end: Int64) throws(CheckedMath.Overflow) {
            base = try CheckedMath.add(base, try CheckedMath.subtract(end, start))
        }

        /// Adds a span from `start` that is still running (one more clock).
        mutating func add(runningFrom start: Int64) throws(CheckedMath.Overflow) {
            base = try CheckedMath.subtract(base, start)
            rate = try CheckedMath.add(rate, 1)
        }

        /// Whether the line can be evaluated, in Swift and in SQL, at every instant from the epoch to
        /// `DataBounds.horizon` without overflowing.
        var isRepresentable: Bool {
            guard rate >= 0, let growth = try? CheckedMath.multiply(rate, DataBounds.horizon) else { return false }
            return (try? CheckedMath.add(base, growth)) != nil
        }
    }

    /// The derived columns, entity name → id → column → value.
    public typealias Columns = [String: [RecordID: [String: StoredValue]]]

    /// Derives the figures of `spacecraft` and of `flights`. `flights` must hold every stored
    /// flight of each spacecraft given, and `dockings` every stored docking event of those flights.
    /// Throws `UnrepresentableFigure` when a figure would not fit (the caller's write is refused).
    public static func derive(spacecraft: [Spacecraft], flights: [Flight], dockings: [Docking]) throws(UnrepresentableFigure) -> Columns {
        let spacecraftEntity = Catalog.entity("spacecraft")!
        let flightEntity = Catalog.entity("spacecraft_flight")!
        var flightsBySpacecraft: [RecordID: [Flight]] = [:]
        for flight in flights { if let owner = flight.spacecraft { flightsBySpacecraft[owner, default: []].append(flight) } }
        var dockingsByFlight: [RecordID: [Docking]] = [:]
        for docking in dockings { dockingsByFlight[docking.flight, default: []].append(docking) }

        var result: Columns = [:]
        var turnarounds: [RecordID: Int64?] = [:]
        for craft in spacecraft {
            let own = (flightsBySpacecraft[craft.id] ?? []).sorted { ($0.net ?? .min, $0.id) < ($1.net ?? .min, $1.id) }
            let ownDockings = own.flatMap { dockingsByFlight[$0.id] ?? [] }
            var values: [String: Line?] = [:]
            var flags: [String: StoredValue] = [:]
            func refuse(_ key: String, _ inputs: [String]) -> UnrepresentableFigure {
                UnrepresentableFigure(entity: "spacecraft", id: craft.id, key: key, inputs: inputs)
            }
            if isComputable(craft, flights: own) {
                var inSpace = Line.constant(0)
                var previousEnd: Int64?
                var fastest: Int64?
                for (index, flight) in own.enumerated() {
                    guard let net = flight.net else { continue }
                    do {
                        if let end = flight.missionEnd { try inSpace.add(from: net, to: end) } else { try inSpace.add(runningFrom: net) }
                    } catch { throw refuse("time_in_space", ["mission_end", "net", "launch"]) }
                    var turnaround: Int64?
                    if index > 0, let previousEnd {
                        guard let value = try? CheckedMath.subtract(net, previousEnd) else {
                            throw refuse("fastest_turnaround", ["mission_end", "net", "launch"])
                        }
                        turnaround = value
                    }
                    turnarounds[flight.id] = turnaround
                    if let turnaround { fastest = min(fastest ?? turnaround, turnaround) }
                    previousEnd = flight.missionEnd
                }
                var docked = Line.constant(0)
                for docking in ownDockings {
                    guard let start = docking.docking else { continue }
                    do {
                        if let departure = docking.departure {
                            try docked.add(from: start, to: departure)
                        } else {
                            try docked.add(runningFrom: start)
                        }
                    } catch { throw refuse("time_docked", ["docking", "departure", "flight_vehicle_chaser"]) }
                }
                guard inSpace.isRepresentable else { throw refuse("time_in_space", ["mission_end", "net", "launch"]) }
                guard docked.isRepresentable else { throw refuse("time_docked", ["docking", "departure", "flight_vehicle_chaser"]) }
                values["time_in_space"] = inSpace
                values["time_docked"] = docked
                values["fastest_turnaround"] = fastest.map(Line.constant)
                flags["in_space"] = .boolean(inSpace.rate > 0)
                flags["flights_count"] = .integer(Int64(own.count))
                flags["mission_ends_count"] = .integer(Int64(own.filter { $0.missionEnd != nil }.count))
            } else {
                let inSpace = craft.imported["in_space"] == .boolean(true)
                let openDockings = Int64(ownDockings.filter { $0.docking != nil && $0.departure == nil }.count)
                for (key, clocks, inputs) in [
                    ("time_in_space", Int64(inSpace ? 1 : 0), ["time_in_space", "in_space"]),
                    ("time_docked", openDockings, ["time_docked", "docking", "departure", "flight_vehicle_chaser"]),
                    ("fastest_turnaround", 0, ["fastest_turnaround"]),
                ] {
                    let line: Line?
                    do { line = try importedLine(craft.imported[key], at: clocks > 0 ? craft.importedAt : nil, clocks: clocks) } catch {
                        throw refuse(key, inputs)
                    }
                    guard line?.isRepresentable ?? true else { throw refuse(key, inputs) }
                    values[key] = line
                }
                for key in ["in_space", "flights_count", "mission_ends_count"] { flags[key] = craft.imported[key] ?? .null }
            }
            var columns: [String: StoredValue] = [:]
            for field in spacecraftEntity.derived {
                if let flag = flags[field.key] {
                    columns[field.column] = flag
                } else {
                    write(values[field.key] ?? nil, of: field, into: &columns)
                }
            }
            result["spacecraft", default: [:]][craft.id] = columns
        }

        for flight in flights {
            var columns: [String: StoredValue] = [:]
            let duration: Line?
            do {
                if let net = flight.net {
                    var line = Line.constant(0)
                    if let end = flight.missionEnd { try line.add(from: net, to: end) } else { try line.add(runningFrom: net) }
                    duration = line
                } else {
                    duration = try importedLine(
                        flight.importedDuration.map(StoredValue.integer), at: flight.importedAt, clocks: flight.missionEnd == nil ? 1 : 0)
                }
                guard duration?.isRepresentable ?? true else { throw CheckedMath.Overflow() }
            } catch {
                throw UnrepresentableFigure(
                    entity: "spacecraft_flight", id: flight.id, key: "duration", inputs: ["mission_end", "duration", "launch"])
            }
            let turnaround: Line?
            if let computed = turnarounds[flight.id] {
                turnaround = computed.map(Line.constant)
            } else {
                turnaround = flight.importedTurnaround.map(Line.constant)
            }
            write(duration, of: flightEntity.derivedField("duration")!, into: &columns)
            write(turnaround, of: flightEntity.derivedField("turn_around_time")!, into: &columns)
            result["spacecraft_flight", default: [:]][flight.id] = columns
        }
        return result
    }

    /// Every flight is known, with its launch time.
    static func isComputable(_ craft: Spacecraft, flights: [Flight]) -> Bool {
        let claimed = craft.imported["flights_count"]?.integer ?? 0
        return Int64(flights.count) >= claimed && flights.allSatisfy { $0.net != nil }
    }

    /// An imported duration; it ticks with `clocks` clocks from the moment it was imported.
    static func importedLine(_ value: StoredValue?, at importedAt: Int64?, clocks: Int64) throws(CheckedMath.Overflow) -> Line? {
        guard let micros = value?.integer else { return nil }
        guard clocks > 0, let importedAt else { return .constant(micros) }
        return try .ticking(micros, since: importedAt, clocks: clocks)
    }

    static func write(_ line: Line?, of field: DerivedField, into columns: inout [String: StoredValue]) {
        columns[field.column] = line.map { .integer($0.base) } ?? .null
        if let rateColumn = field.rateColumn { columns[rateColumn] = line.map { .integer($0.rate) } ?? .null }
    }
}
