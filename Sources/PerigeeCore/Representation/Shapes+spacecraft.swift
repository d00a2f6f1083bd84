extension Shapes {
    /// LL2's `SpacecraftConfigFamilyMini` schema: a `spacecraft_config_family` as its `list` mode shows it.
    public static let spacecraftConfigFamilyMini = Shape(
        "SpacecraftConfigFamilyMini", entity: "spacecraft_config_family", mode: "list", [.responseMode, .id, .field("name")])

    /// LL2's `SpacecraftConfigFamilyNormal` schema: a `spacecraft_config_family` as its `normal` mode shows it.
    public static let spacecraftConfigFamilyNormal = Shape(
        "SpacecraftConfigFamilyNormal", entity: "spacecraft_config_family", mode: "normal",
        [
            .responseMode, .id, .fields("name", "description"), .object("manufacturer", agencyMini),
            .object("parent", spacecraftConfigFamilyMini), .field("maiden_flight"),
        ])

    static let spacecraftFamilyCounts: Shape.Member = .fields(
        "spacecraft_flown", "total_launch_count", "successful_launches", "failed_launches", "attempted_landings",
        "successful_landings", "failed_landings")

    /// A configuration's `family` entries in detailed form; LL2's serializer writes `normal` (NOTES.md).
    public static let spacecraftConfigFamilyDetailed = Shape(
        "SpacecraftConfigFamilyDetailed", entity: "spacecraft_config_family", mode: "normal",
        [
            .responseMode, .id, .fields("name", "description"), .object("manufacturer", agencyNormal),
            .object("parent", spacecraftConfigFamilyNormal), .field("maiden_flight"),
            spacecraftFamilyCounts,
        ])

    /// LL2's `SpacecraftConfigNormal` schema: a `spacecraft_config` as its `normal` mode shows it.
    public static let spacecraftConfigNormal = Shape(
        "SpacecraftConfigNormal", entity: "spacecraft_config", mode: "normal",
        [
            .responseMode, .id, .url, .field("name"), .object("type", idName("spacecraft_config_type")),
            .object("agency", agencyMini), .list("family", spacecraftConfigFamilyNormal), .field("in_use"),
            .object("image", image),
        ])

    /// LL2's `SpacecraftConfigDetailed` schema: a `spacecraft_config` as its `detailed` mode shows it.
    public static let spacecraftConfigDetailed = Shape(
        "SpacecraftConfigDetailed", entity: "spacecraft_config", mode: "detailed",
        [
            .responseMode, .id, .url, .field("name"), .object("type", idName("spacecraft_config_type")),
            .object("agency", agencyNormal), .list("family", spacecraftConfigFamilyDetailed), .field("in_use"),
            .object("image", image),
            .fields(
                "capability", "history", "details", "maiden_flight", "height", "diameter", "human_rated", "crew_capacity",
                "payload_capacity", "payload_return_capacity", "flight_life", "wiki_link", "info_link", "spacecraft_flown",
                "total_launch_count", "successful_launches", "failed_launches", "attempted_landings", "successful_landings",
                "failed_landings", "fastest_turnaround"),
        ])

    static func spacecraftMembers(config: Shape) -> Shape.Member {
        .group([
            .responseMode, .id, .url, .fields("name", "serial_number", "is_placeholder"), .object("image", image),
            .fields("in_space", "time_in_space", "time_docked", "flights_count", "mission_ends_count"),
            .object("status", idName("spacecraft_status")), .field("description"), .object("spacecraft_config", config),
            .field("fastest_turnaround"),
        ])
    }

    /// LL2's `SpacecraftNormal` schema: a `spacecraft` as its `normal` mode shows it.
    public static let spacecraftNormal = Shape(
        "SpacecraftNormal", entity: "spacecraft", mode: "normal", [spacecraftMembers(config: spacecraftConfigNormal)])

    /// The spacecraft nested in a flight's detail: its configuration is detailed, yet LL2 says `normal`.
    public static let spacecraftDetailed = Shape(
        "SpacecraftDetailed", entity: "spacecraft", mode: "normal", [spacecraftMembers(config: spacecraftConfigDetailed)])

    /// LL2's `SpacecraftEndpointDetailed` schema: a `spacecraft` as its `detailed` mode shows it.
    public static let spacecraftEndpointDetailed = Shape(
        "SpacecraftEndpointDetailed", entity: "spacecraft", mode: "detailed",
        [spacecraftMembers(config: spacecraftConfigDetailed), .list("flights", spacecraftFlightNormal)])

    static let flightHead: Shape.Member = .group([.id, .url, .fields("destination", "mission_end")])

    public static let spacecraftFlightMini = Shape(
        "SpacecraftFlightMini", entity: "spacecraft_flight",
        [
            flightHead, .object("spacecraft", spacecraftNormal), .object("launch", launchMini), .object("landing", landing),
            .fields("duration", "turn_around_time"),
        ])

    /// LL2's `SpacecraftFlightNormal` schema: a `spacecraft_flight` as its `normal` mode shows it.
    public static let spacecraftFlightNormal = Shape(
        "SpacecraftFlightNormal", entity: "spacecraft_flight", mode: "normal",
        [
            flightHead, .object("spacecraft", spacecraftNormal), .object("launch", launchNormal), .object("landing", landing),
            .fields("duration", "turn_around_time"), .responseMode,
        ])

    /// LL2's `SpacecraftFlightDetailed` schema: a `spacecraft_flight` as its `detailed` mode shows it.
    public static let spacecraftFlightDetailed = Shape(
        "SpacecraftFlightDetailed", entity: "spacecraft_flight", mode: "detailed",
        [
            flightHead, .object("spacecraft", spacecraftDetailed), .object("launch", launchNormal),
            .object("landing", landing), .fields("duration", "turn_around_time"), .responseMode,
            .fields("launch_crew", "onboard_crew", "landing_crew"), .list("docking_events", dockingEventForChaser),
        ])
}
