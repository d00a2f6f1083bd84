import PerigeeCore
import SQLKit

/// Keeps the derived columns of spacecraft and flights in step with the records they are computed
/// from. Runs inside the import's transaction for the spacecraft an import touched, and over the
/// whole store as a migration step. Writes a row only when its derived values change.
struct StatisticsRefresher {
    let db: any SQLDatabase
    static let chunkSize = 500

    private static let spacecraft = Catalog.entity("spacecraft")!
    private static let flight = Catalog.entity("spacecraft_flight")!

    /// Refreshes every spacecraft and flight that `records` (one import) may have changed: the
    /// imported spacecraft and flights, the flights of imported launches and docking events, and
    /// every flight of those flights' spacecraft.
    func refresh(touching records: [String: [RecordID: CollectedRecord]]) async throws {
        var flightIDs = Set(records["spacecraft_flight"]?.keys ?? [:].keys)
        if let launches = records["launch"]?.keys, !launches.isEmpty {
            flightIDs.formUnion(try await ids(of: "id", from: "spacecraft_flight", where: "launch_id", in: Array(launches), kind: .integer))
        }
        if let dockings = records["docking_event"]?.keys, !dockings.isEmpty {
            flightIDs.formUnion(
                try await ids(of: "flight_vehicle_chaser_id", from: "docking_event", where: "id", in: Array(dockings), kind: .integer))
        }
        var spacecraftIDs = Set(records["spacecraft"]?.keys ?? [:].keys)
        spacecraftIDs.formUnion(try await ids(of: "spacecraft_id", from: "spacecraft_flight", where: "id", in: Array(flightIDs), kind: .integer))
        try await refresh(spacecraft: Array(spacecraftIDs), flights: Array(flightIDs))
    }

    /// Refreshes the whole store.
    func refreshAll() async throws {
        let spacecraftIDs = try await db.select().column("id").from("spacecraft").all()
            .compactMap { RecordID(try $0.storedValue("id", type: .bigint), kind: .integer) }
        let flightIDs = try await db.select().column("id").from("spacecraft_flight").all()
            .compactMap { RecordID(try $0.storedValue("id", type: .bigint), kind: .integer) }
        try await refresh(spacecraft: spacecraftIDs, flights: flightIDs)
    }

    /// Refreshes `spacecraft` with all their flights, and `flights` (whatever their spacecraft).
    private func refresh(spacecraft spacecraftIDs: [RecordID], flights flightIDs: [RecordID]) async throws {
        var remainingFlights = Set(flightIDs)
        let sortedSpacecraft = spacecraftIDs.sorted()
        for start in stride(from: 0, to: sortedSpacecraft.count, by: Self.chunkSize) {
            let chunk = Array(sortedSpacecraft[start..<min(start + Self.chunkSize, sortedSpacecraft.count)])
            let flights = try await loadFlights(where: "spacecraft_id", in: chunk)
            remainingFlights.subtract(flights.map(\.id))
            try await derive(spacecraft: chunk, flights: flights)
        }
        let others = remainingFlights.sorted()
        for start in stride(from: 0, to: others.count, by: Self.chunkSize) {
            let chunk = Array(others[start..<min(start + Self.chunkSize, others.count)])
            try await derive(spacecraft: [], flights: try await loadFlights(where: "id", in: chunk))
        }
    }

    private func derive(spacecraft ids: [RecordID], flights: [FlightStatistics.Flight]) async throws {
        let spacecraftRows = try await rows(of: Self.spacecraft, ids: ids)
        let facts = spacecraftRows.map { id, row in
            FlightStatistics.Spacecraft(
                id: id, imported: row.filter { key, _ in Self.spacecraft.derivedField(key) != nil },
                importedAt: row[Self.spacecraft.importStamp!.column]?.integer)
        }
        let dockings = try await loadDockings(of: flights.map(\.id))
        let derived = try FlightStatistics.derive(spacecraft: facts, flights: flights, dockings: dockings)
        try await write(derived["spacecraft"] ?? [:], into: Self.spacecraft, current: spacecraftRows)
        let flightRows = try await rows(of: Self.flight, ids: flights.map(\.id))
        try await write(derived["spacecraft_flight"] ?? [:], into: Self.flight, current: flightRows)
    }

    /// Flights with their launch's `net`, in one query.
    private func loadFlights(where column: String, in values: [RecordID]) async throws -> [FlightStatistics.Flight] {
        guard !values.isEmpty else { return [] }
        let rows = try await db.select()
            .column(SQLColumn(SQLIdentifier("id"), table: SQLIdentifier("f")))
            .columns(
                SQLColumn(SQLIdentifier("spacecraft_id"), table: SQLIdentifier("f")),
                SQLColumn(SQLIdentifier("mission_end"), table: SQLIdentifier("f")),
                SQLColumn(SQLIdentifier("duration"), table: SQLIdentifier("f")),
                SQLColumn(SQLIdentifier("turn_around_time"), table: SQLIdentifier("f")),
                SQLColumn(SQLIdentifier("figures_imported_at"), table: SQLIdentifier("f")),
                SQLColumn(SQLIdentifier("net"), table: SQLIdentifier("l"))
            )
            .from(SQLAlias(SQLIdentifier("spacecraft_flight"), as: SQLIdentifier("f")))
            .join(
                SQLAlias(SQLIdentifier("launch"), as: SQLIdentifier("l")), method: SQLJoinMethod.left,
                on: SQLBinaryExpression(
                    SQLColumn(SQLIdentifier("id"), table: SQLIdentifier("l")), .equal,
                    SQLColumn(SQLIdentifier("launch_id"), table: SQLIdentifier("f")))
            )
            .where(SQLColumn(SQLIdentifier(column), table: SQLIdentifier("f")), .in, SQLGroupExpression(values.map { SQLBind($0.stored) }))
            .all()
        return try rows.compactMap { row in
            guard let id = RecordID(try row.storedValue("id", type: .bigint), kind: .integer) else { return nil }
            return FlightStatistics.Flight(
                id: id, spacecraft: RecordID(try row.storedValue("spacecraft_id", type: .bigint), kind: .integer),
                missionEnd: try row.storedValue("mission_end", type: .bigint).integer,
                net: try row.storedValue("net", type: .bigint).integer,
                importedDuration: try row.storedValue("duration", type: .bigint).integer,
                importedTurnaround: try row.storedValue("turn_around_time", type: .bigint).integer,
                importedAt: try row.storedValue("figures_imported_at", type: .bigint).integer)
        }
    }

    private func loadDockings(of flights: [RecordID]) async throws -> [FlightStatistics.Docking] {
        guard !flights.isEmpty else { return [] }
        let rows = try await db.select().columns("flight_vehicle_chaser_id", "docking", "departure").from("docking_event")
            .where(SQLIdentifier("flight_vehicle_chaser_id"), .in, SQLGroupExpression(flights.map { SQLBind($0.stored) })).all()
        return try rows.compactMap { row in
            guard let flight = RecordID(try row.storedValue("flight_vehicle_chaser_id", type: .bigint), kind: .integer) else { return nil }
            return FlightStatistics.Docking(
                flight: flight, docking: try row.storedValue("docking", type: .bigint).integer,
                departure: try row.storedValue("departure", type: .bigint).integer)
        }
    }

    /// Whole rows of `entity`, by id.
    func rows(of entity: Entity, ids: [RecordID]) async throws -> [RecordID: [String: StoredValue]] {
        guard !ids.isEmpty else { return [:] }
        let types = DesiredSchema.columnTypes(of: entity.name)
        var result: [RecordID: [String: StoredValue]] = [:]
        for row in try await db.select().column("*").from(entity.name)
            .where(SQLIdentifier("id"), .in, SQLGroupExpression(ids.map { SQLBind($0.stored) })).all()
        {
            var values: [String: StoredValue] = [:]
            for (name, type) in types { values[name] = try row.storedValue(name, type: type) }
            if let id = RecordID(values["id"] ?? .null, kind: entity.identifier) { result[id] = values }
        }
        return result
    }

    func write(
        _ derived: [RecordID: [String: StoredValue]], into entity: Entity, current: [RecordID: [String: StoredValue]]
    ) async throws {
        for (id, columns) in derived.sorted(by: { $0.key < $1.key }) {
            let changed = columns.filter { column, value in current[id]?[column] != value }.sorted { $0.key < $1.key }
            guard !changed.isEmpty, current[id] != nil else { continue }
            var update = db.update(entity.name)
            for (column, value) in changed { update = update.set(SQLIdentifier(column), to: SQLBind(value)) }
            try await update.where("id", .equal, SQLBind(id.stored)).run()
        }
    }

    /// Distinct non-null ids read from `column` of `table` for the rows whose `filter` is in `values`.
    func ids(
        of column: String, from table: String, where filter: String, in values: [RecordID], kind: IdentifierKind
    )
        async throws -> Set<RecordID>
    {
        var result: Set<RecordID> = []
        for start in stride(from: 0, to: values.count, by: Self.chunkSize) {
            let chunk = values[start..<min(start + Self.chunkSize, values.count)]
            for row in try await db.select().column(SQLIdentifier(column)).from(table)
                .where(SQLIdentifier(filter), .in, SQLGroupExpression(chunk.map { SQLBind($0.stored) })).all()
            {
                if let id = RecordID(try row.storedValue(column, type: ColumnType(identifier: kind)), kind: kind) { result.insert(id) }
            }
        }
        return result
    }
}
