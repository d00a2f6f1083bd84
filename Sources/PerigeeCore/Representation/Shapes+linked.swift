/// Shapes of the resources the seed endpoints link to (agencies, configurations, stations, launches,
/// landings, pads, locations, programs, launcher configurations, celestial bodies, families), in the
/// spec's key order for each mode.
extension Shapes {
    static let agencyCounts: Shape.Member = .fields(
        "total_launch_count", "consecutive_successful_launches", "successful_launches", "failed_launches",
        "pending_launches", "consecutive_successful_landings", "successful_landings", "failed_landings",
        "attempted_landings", "successful_landings_spacecraft", "failed_landings_spacecraft",
        "attempted_landings_spacecraft", "successful_landings_payload", "failed_landings_payload",
        "attempted_landings_payload")

    static let launcherCounts: Shape.Member = .fields(
        "total_launch_count", "consecutive_successful_launches", "successful_launches", "failed_launches",
        "pending_launches", "attempted_landings", "successful_landings", "failed_landings",
        "consecutive_successful_landings")

    /// LL2's `AgencyEndpointDetailed` schema: an `agency` as its `detailed` mode shows it.
    public static let agencyEndpointDetailed = Shape(
        "AgencyEndpointDetailed", entity: "agency", mode: "detailed",
        [
            agencyNormalMembers, agencyCounts, .fields("info_url", "wiki_url", "social_media_links"),
            .list("launcher_list", launcherConfigDetailedNoManufacturer), .list("spacecraft_list", spacecraftConfigDetailed),
        ])

    // MARK: Launcher configurations and families

    /// LL2's `LauncherConfigFamilyNormal` schema: a `launcher_config_family` as its `normal` mode shows it.
    public static let launcherConfigFamilyNormal = Shape(
        "LauncherConfigFamilyNormal", entity: "launcher_config_family", mode: "normal",
        [.responseMode, .id, .field("name"), .list("manufacturer", agencyNormal), .object("parent", launcherConfigFamilyMini)])

    /// LL2's `LauncherConfigFamilyDetailed` schema: a `launcher_config_family` as its `detailed` mode shows it.
    public static let launcherConfigFamilyDetailed = Shape(
        "LauncherConfigFamilyDetailed", entity: "launcher_config_family", mode: "detailed",
        [
            .responseMode, .id, .field("name"), .list("manufacturer", agencyDetailed),
            .object("parent", launcherConfigFamilyNormal), .fields("description", "active", "maiden_flight"), launcherCounts,
        ])

    static func launcherConfigHead(families: Shape) -> Shape.Member {
        .group([.responseMode, .id, .url, .field("name"), .list("families", families), .fields("full_name", "variant")])
    }

    static let launcherConfigBody: Shape.Member = .group([
        .list("program", programNormal), .field("reusable"), .object("image", image), .fields("info_url", "wiki_url"),
    ])

    static let launcherConfigDetails: Shape.Member = .fields(
        "description", "alias", "min_stage", "max_stage", "length", "diameter", "maiden_flight", "launch_cost",
        "launch_mass", "leo_capacity", "gto_capacity", "geo_capacity", "sso_capacity", "to_thrust", "apogee")

    /// LL2's `LauncherConfigNormal` schema: a `launcher_config` as its `normal` mode shows it.
    public static let launcherConfigNormal = Shape(
        "LauncherConfigNormal", entity: "launcher_config", mode: "normal",
        [
            launcherConfigHead(families: launcherConfigFamilyNormal), .fields("active", "is_placeholder"),
            .object("manufacturer", agencyNormal), launcherConfigBody,
        ])

    /// LL2's `LauncherConfigDetailed` schema: a `launcher_config` as its `detailed` mode shows it.
    public static let launcherConfigDetailed = Shape(
        "LauncherConfigDetailed", entity: "launcher_config", mode: "detailed",
        [
            launcherConfigHead(families: launcherConfigFamilyDetailed), .fields("active", "is_placeholder"),
            .object("manufacturer", agencyDetailed), launcherConfigBody, launcherConfigDetails, launcherCounts,
            .field("fastest_turnaround"),
        ])

    /// LL2's `LauncherConfigDetailedSerializerNoManufacturer` schema: a `launcher_config` as its `detailed` mode shows it.
    public static let launcherConfigDetailedNoManufacturer = Shape(
        "LauncherConfigDetailedSerializerNoManufacturer", entity: "launcher_config", mode: "detailed",
        [
            launcherConfigHead(families: launcherConfigFamilyDetailed), .fields("active", "is_placeholder"), launcherConfigBody,
            launcherConfigDetails, launcherCounts, .field("fastest_turnaround"),
        ])

    // MARK: Spacecraft configuration families

    /// LL2's `SpacecraftConfigFamilyEndpointDetailed` schema: a `spacecraft_config_family` as its `detailed` mode shows it.
    public static let spacecraftConfigFamilyEndpointDetailed = Shape(
        "SpacecraftConfigFamilyEndpointDetailed", entity: "spacecraft_config_family", mode: "detailed",
        [
            .responseMode, .id, .fields("name", "description"), .object("manufacturer", agencyNormal),
            .object("parent", spacecraftConfigFamilyNormal), .field("maiden_flight"),
            spacecraftFamilyCounts,
            .list("spacecraft", spacecraftConfigNormal),
        ])

    // MARK: Places

    /// LL2's `CelestialBodyEndpointDetailed` schema: a `celestial_body` as its `detailed` mode shows it.
    public static let celestialBodyEndpointDetailed = Shape(
        "CelestialBodyEndpointDetailed", entity: "celestial_body", mode: "detailed",
        [
            celestialBodyNormalMembers,
            celestialBodyTotals,
            .list("locations", locationNoCelestialBody),
        ])

    public static let padNoLocation = Shape(
        "PadSerializerNoLocation", entity: "pad",
        [
            .id, .url, .field("active"), .list("agencies", agencyMini), .field("name"), .object("image", image),
            .fields("description", "info_url", "wiki_url", "map_url", "latitude", "longitude"), .object("country", country),
            .fields("map_image", "orbital_launch_attempt_count", "fastest_turnaround"),
        ])

    /// LL2's `LocationSerializerWithPads` schema: a `location` as its `detailed` mode shows it.
    public static let locationWithPads = Shape(
        "LocationSerializerWithPads", entity: "location", mode: "detailed",
        [
            .responseMode, .id, .url, .field("name"), .object("celestial_body", celestialBodyDetailed), .field("active"),
            .object("country", country), .field("description"), .object("image", image),
            .fields("map_image", "longitude", "latitude", "timezone_name", "total_landing_count"), .list("pads", padNoLocation),
        ])

    // MARK: Space stations

    static let spaceStationEndpointMembers: Shape.Member = .group([
        .id, .url, .field("name"), .object("image", image), .object("status", idName("space_station_status")),
        .fields("founded", "deorbited", "description", "orbit"), .object("type", idName("space_station_type")),
        .list("owners", agencyNormal), .responseMode, .field("active_expeditions"),
    ])

    /// LL2's `SpaceStationEndpoint` schema: a `space_station` as its `normal` mode shows it.
    public static let spaceStationEndpoint = Shape(
        "SpaceStationEndpoint", entity: "space_station", mode: "normal", [spaceStationEndpointMembers])

    public static let spacecraftFlightForDockingEvent = Shape(
        "SpacecraftFlightForDockingEvent", entity: "spacecraft_flight",
        [.id, .url, .object("spacecraft", spacecraftDetailed), .object("launch", launchNormal)])

    public static let dockingEventForStation = Shape(
        "DockingEventDetailedSerializerForSpacestation", entity: "docking_event",
        [
            .id, .url, .fields("docking", "departure"), .object("flight_vehicle_chaser", spacecraftFlightForDockingEvent),
            .object("space_station_chaser", spaceStationNormal), .object("payload_flight_chaser", payloadFlightNormal),
        ])

    public static let dockingLocationForStation = Shape(
        "DockingLocationSerializerForSpacestation", entity: "docking_location",
        [.id, .field("name"), .first("currently_docked", dockingEventForStation)])

    /// LL2's `SpaceStationDetailedEndpoint` schema: a `space_station` as its `detailed` mode shows it.
    public static let spaceStationDetailedEndpoint = Shape(
        "SpaceStationDetailedEndpoint", entity: "space_station", mode: "detailed",
        [
            spaceStationEndpointMembers,
            .fields("height", "width", "mass", "volume", "onboard_crew", "docked_vehicles"),
            .list("docking_location", dockingLocationForStation), .list("active_docking_events", dockingEventForChaser),
        ])

    // MARK: Landings

    static let landingHead: Shape.Member = .group([
        .id, .url, .fields("attempt", "success", "description", "downrange_distance"),
        .object("landing_location", landingLocation), .object("type", idNameAbbrevDescription("landing_type")), .responseMode,
    ])

    static let flightNoLandingHead: Shape.Member = .group([.id, .url, .fields("destination", "mission_end")])

    public static let spacecraftFlightMiniNoLanding = Shape(
        "SpacecraftFlightMiniSerializerNoLanding", entity: "spacecraft_flight",
        [
            flightNoLandingHead, .object("spacecraft", spacecraftNormal), .object("launch", launchMini),
            .fields("duration", "turn_around_time"),
        ])

    /// LL2's `SpacecraftFlightNormalSerializerNoLanding` schema: a `spacecraft_flight` as its `normal` mode shows it.
    public static let spacecraftFlightNormalNoLanding = Shape(
        "SpacecraftFlightNormalSerializerNoLanding", entity: "spacecraft_flight", mode: "normal",
        [
            flightNoLandingHead, .object("spacecraft", spacecraftNormal), .object("launch", launchNormal),
            .fields("duration", "turn_around_time"), .responseMode,
        ])

    /// LL2's `SpacecraftFlightDetailedSerializerNoLanding` schema: a `spacecraft_flight` as its `detailed` mode shows it.
    public static let spacecraftFlightDetailedNoLanding = Shape(
        "SpacecraftFlightDetailedSerializerNoLanding", entity: "spacecraft_flight", mode: "detailed",
        [
            flightNoLandingHead, .object("spacecraft", spacecraftDetailed), .object("launch", launchNormal),
            .fields("duration", "turn_around_time"), .responseMode, .fields("launch_crew", "onboard_crew", "landing_crew"),
            .list("docking_events", dockingEventForChaser),
        ])

    /// A landing's payload flight; the detailed form adds the flight's docking events.
    static func payloadFlightNoLanding(
        _ name: String, mode: String, payload: Shape, launch: Shape, dockings: Bool = false
    )
        -> Shape
    {
        Shape(
            name, entity: "payload_flight", mode: mode,
            [
                .responseMode, .id, .url, .fields("destination", "amount"), .object("payload", payload), .object("launch", launch),
                .group(dockings ? [.list("docking_events", dockingEventForChaser)] : []),
            ])
    }

    /// LL2's `LandingEndpointList` schema: a `landing` as its `list` mode shows it.
    public static let landingEndpointList = Shape(
        "LandingEndpointList", entity: "landing", mode: "list",
        [
            landingHead, .first("firststage", firstStageMini), .first("spacecraftflight", spacecraftFlightMiniNoLanding),
            .first(
                "payloadflight",
                payloadFlightNoLanding("PayloadFlightMiniSerializerNoLanding", mode: "list", payload: payloadMini, launch: launchMini)),
        ])

    /// LL2's `LandingEndpointNormal` schema: a `landing` as its `normal` mode shows it.
    public static let landingEndpointNormal = Shape(
        "LandingEndpointNormal", entity: "landing", mode: "normal",
        [
            landingHead, .first("firststage", firstStageNormalNoLanding), .first("spacecraftflight", spacecraftFlightNormalNoLanding),
            .first(
                "payloadflight",
                payloadFlightNoLanding("PayloadFlightNormalSerializerNoLanding", mode: "normal", payload: payloadNormal, launch: launchNormal)),
        ])

    /// LL2's `LandingEndpointDetailed` schema: a `landing` as its `detailed` mode shows it.
    public static let landingEndpointDetailed = Shape(
        "LandingEndpointDetailed", entity: "landing", mode: "detailed",
        [
            landingHead, .first("firststage", firstStageDetailedNoLanding), .first("spacecraftflight", spacecraftFlightDetailedNoLanding),
            .first(
                "payloadflight",
                payloadFlightNoLanding(
                    "PayloadFlightDetailedSerializerNoLanding", mode: "detailed", payload: payloadDetailed, launch: launchNormal,
                    dockings: true)),
        ])

    // MARK: Launches

    static let launchBasicMembers: Shape.Member = .group([
        .id, .url, .field("name"), .responseMode, .fields("slug", "launch_designator"),
        .object("status", idNameAbbrevDescription("launch_status")), .fields("last_updated", "net"),
        .object("net_precision", idNameAbbrevDescription("net_precision")), .fields("window_end", "window_start"),
        .object("image", image), .field("infographic"),
    ])

    /// LL2's `LaunchBasic` schema: a `launch` as its `list` mode shows it.
    public static let launchBasic = Shape("LaunchBasic", entity: "launch", mode: "list", [launchBasicMembers])

    /// LL2's `LaunchDetailed` schema: a `launch` as its `detailed` mode shows it.
    public static let launchDetailed = Shape(
        "LaunchDetailed", entity: "launch", mode: "detailed",
        [
            launchBasicMembers, .fields("probability", "weather_concerns", "failreason", "hashtag"),
            .object("launch_service_provider", agencyDetailed), .object("rocket", rocketDetailed), .object("mission", mission),
            .object("pad", pad), .field("webcast_live"), .list("program", programNormal),
            launchAttemptCounts, .field("flightclub_url"), .list("updates", update),
            .list("info_urls", infoURL), .list("vid_urls", vidURL), .list("timeline", timelineEvent), .field("pad_turnaround"),
            .list("mission_patches", missionPatch),
        ])
}
