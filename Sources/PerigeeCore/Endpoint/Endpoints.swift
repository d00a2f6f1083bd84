/// Every resource endpoint Perigee serves, declared once each.
public enum Endpoints {
    public static let spacecraft = Endpoint(
        title: "Spacecraft", path: "spacecraft", entity: "spacecraft",
        modes: [("normal", Shapes.spacecraftNormal), ("detailed", Shapes.spacecraftEndpointDetailed)],
        filters: FilterField.exact("in_space", .boolean) + FilterField.exact("is_placeholder", .boolean)
            + FilterField.exact("name", .text) + FilterField.exact("spacecraft_config", .choice)
            + FilterField.exact("status", .choice),
        search: ["name", "spacecraft_config__name"],
        ordering: ["flights_count", "id", "mission_ends_count", "time_docked", "time_in_space"],
        filterExample: "is_placeholder=True", searchExample: "Endeavour", orderingExample: "-flights_count")

    public static let spacecraftFlights = Endpoint(
        title: "Spacecraft Flight", path: "spacecraft_flights", entity: "spacecraft_flight",
        modes: [("normal", Shapes.spacecraftFlightNormal), ("detailed", Shapes.spacecraftFlightDetailed)],
        filters: FilterField.exact("spacecraft", .choice),
        filterExample: "spacecraft=289")

    public static let dockingEvents = Endpoint(
        title: "Docking Event", path: "docking_events", entity: "docking_event",
        modes: [("normal", Shapes.dockingEventEndpointNormal), ("detailed", Shapes.dockingEventEndpointDetailed)],
        filters: FilterField.range("docking", .dateTime, [.gt, .gte, .lt, .lte])
            + FilterField.exact("docking_location__id", .number) + FilterField.exact("flight_vehicle_chaser__id", .number)
            + FilterField.exact("space_station_target__id", .number),
        search: [
            "docking_location__name", "flight_vehicle_chaser__spacecraft__name", "flight_vehicle_target__spacecraft__name",
            "payload_flight_chaser__payload__name", "payload_flight_target__payload__name", "space_station_chaser__name",
            "space_station_target__name",
        ],
        ordering: ["departure", "docking"],
        filterExample: "space_station_target__id=4", searchExample: "Dragon", orderingExample: "-docking")

    /// All endpoints, in the order the API root lists them.
    public static let all: [Endpoint] = [dockingEvents, spacecraft, spacecraftFlights]

    /// What is wrong with the declarations (shapes naming fields their entity lacks, duplicate
    /// paths or parameter names); empty when all is well. Checked when the router is built, and by a test.
    public static func problems() -> [String] {
        var found = all.flatMap { endpoint in endpoint.modes.flatMap { $0.shape.problems() } }
        let paths = all.map(\.path)
        if Set(paths).count != paths.count { found.append("two endpoints share a path") }
        for endpoint in all where Set(endpoint.filters.map(\.field.name)).count != endpoint.filters.count {
            found.append("\(endpoint.path): two filters share a name")
        }
        return found
    }

    /// The endpoint served under `path`.
    public static func endpoint(path: String) -> Endpoint? { all.first { $0.path == path } }
}
