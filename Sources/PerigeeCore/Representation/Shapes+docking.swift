extension Shapes {
    public static let spaceStationMini = Shape(
        "SpaceStationMini", entity: "space_station", [.id, .url, .field("name"), .object("image", image)])

    public static let spaceStationNormal = Shape(
        "SpaceStationNormal", entity: "space_station",
        [
            .id, .url, .field("name"), .object("image", image), .object("status", idName("space_station_status")),
            .fields("founded", "deorbited", "description", "orbit"), .object("type", idName("space_station_type")),
        ])

    /// LL2's `PayloadMini` schema: a `payload` as its `list` mode shows it.
    public static let payloadMini = Shape(
        "PayloadMini", entity: "payload", mode: "list",
        [
            .responseMode, .id, .field("name"), .object("type", idName("payload_type")), .object("manufacturer", agencyMini),
            .object("operator", agencyMini), .object("image", image),
        ])

    /// LL2's `ProgramMini` schema: a `program` as its `list` mode shows it.
    public static let programMini = Shape(
        "ProgramMini", entity: "program", mode: "list",
        [.responseMode, .id, .url, .field("name"), .object("image", image), .fields("info_url", "wiki_url")])

    /// LL2's `PayloadNormal` schema: a `payload` as its `normal` mode shows it.
    public static let payloadNormal = Shape(
        "PayloadNormal", entity: "payload", mode: "normal",
        [
            .responseMode, .id, .field("name"), .object("type", idName("payload_type")),
            .object("manufacturer", agencyNormal), .object("operator", agencyNormal), .object("image", image),
            .fields("wiki_link", "info_link"), .list("program", programMini), .fields("cost", "mass", "description"),
        ])

    /// LL2's `PayloadFlightMini` schema: a `payload_flight` as its `list` mode shows it.
    public static let payloadFlightMini = Shape(
        "PayloadFlightMini", entity: "payload_flight", mode: "list",
        [
            .responseMode, .id, .url, .fields("destination", "amount"), .object("payload", payloadMini),
            .object("launch", launchMini), .object("landing", landing),
        ])

    /// LL2's `PayloadFlightNormal` schema: a `payload_flight` as its `normal` mode shows it.
    public static let payloadFlightNormal = Shape(
        "PayloadFlightNormal", entity: "payload_flight", mode: "normal",
        [
            .responseMode, .id, .url, .fields("destination", "amount"), .object("payload", payloadNormal),
            .object("launch", launchNormal), .object("landing", landing),
        ])

    public static let dockingLocation = Shape(
        "DockingLocation", entity: "docking_location",
        [
            .id, .field("name"), .object("spacestation", spaceStationMini), .object("spacecraft", spacecraftConfigNormal),
            .object("payload", payloadMini),
        ])

    static let dockingHead: Shape.Member = .group([
        .id, .url, .fields("docking", "departure"), .object("docking_location", dockingLocation),
    ])

    /// The docking-event endpoint's shapes differ only in how they show the chaser.
    static func dockingEventEndpoint(_ name: String, mode: String, flight: Shape, station: Shape, payload: Shape) -> Shape {
        Shape(
            name, entity: "docking_event", mode: mode,
            [
                dockingHead, .object("space_station_target", spaceStationMini),
                .object("flight_vehicle_target", spacecraftFlightMini), .object("payload_flight_target", payloadFlightMini),
                .responseMode, .object("flight_vehicle_chaser", flight), .object("space_station_chaser", station),
                .object("payload_flight_chaser", payload),
            ])
    }

    public static let dockingEventEndpointNormal = dockingEventEndpoint(
        "DockingEventEndpointNormal", mode: "normal", flight: spacecraftFlightMini, station: spaceStationMini,
        payload: payloadFlightMini)

    public static let dockingEventEndpointDetailed = dockingEventEndpoint(
        "DockingEventEndpointDetailed", mode: "detailed", flight: spacecraftFlightNormal, station: spaceStationNormal,
        payload: payloadFlightNormal)

    /// A docking event nested in its chaser flight's detail (so without the chaser fields).
    public static let dockingEventForChaser = Shape(
        "DockingEventForChaserNormal", entity: "docking_event",
        [
            dockingHead, .object("space_station_target", spaceStationNormal),
            .object("flight_vehicle_target", spacecraftFlightNormal), .object("payload_flight_target", payloadFlightNormal),
        ])
}
