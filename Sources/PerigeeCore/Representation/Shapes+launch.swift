extension Shapes {
    public static let launchMini = Shape("LaunchMini", entity: "launch", [.id, .url, .field("name")])

    /// LL2's `CelestialBodyMini` schema: a `celestial_body` as its `list` mode shows it.
    public static let celestialBodyMini = Shape(
        "CelestialBodyMini", entity: "celestial_body", mode: "list", [.responseMode, .id, .field("name")])

    static let celestialBodyNormalMembers: Shape.Member = .group([
        .responseMode, .id, .field("name"), .object("type", idName("celestial_body_type")),
        .fields("diameter", "mass", "gravity", "length_of_day", "atmosphere"), .object("image", image),
        .fields("description", "wiki_url"),
    ])

    static let celestialBodyTotals: Shape.Member = .fields(
        "total_attempted_launches", "successful_launches", "failed_launches", "total_attempted_landings",
        "successful_landings", "failed_landings")

    /// LL2's `CelestialBodyNormal` schema: a `celestial_body` as its `normal` mode shows it.
    public static let celestialBodyNormal = Shape(
        "CelestialBodyNormal", entity: "celestial_body", mode: "normal", [celestialBodyNormalMembers])

    /// Nested in a location; LL2 still says `normal`.
    public static let celestialBodyDetailed = Shape(
        "CelestialBodyDetailed", entity: "celestial_body", mode: "normal",
        [
            celestialBodyNormalMembers,
            celestialBodyTotals,
        ])

    static let locationTail: Shape.Member = .group([
        .field("active"), .object("country", country), .field("description"), .object("image", image),
        .fields("map_image", "longitude", "latitude", "timezone_name", "total_launch_count", "total_landing_count"),
    ])

    /// LL2's `Location` schema: a `location` as its `normal` mode shows it.
    public static let location = Shape(
        "Location", entity: "location", mode: "normal",
        [.responseMode, .id, .url, .field("name"), .object("celestial_body", celestialBodyDetailed), locationTail])

    /// LL2's `LocationSerializerNoCelestialBody` schema: a `location` as its `normal` mode shows it.
    public static let locationNoCelestialBody = Shape(
        "LocationSerializerNoCelestialBody", entity: "location", mode: "normal",
        [.responseMode, .id, .url, .field("name"), locationTail])

    public static let pad = Shape(
        "Pad", entity: "pad",
        [
            .id, .url, .field("active"), .list("agencies", agencyNormal), .field("name"), .object("image", image),
            .fields("description", "info_url", "wiki_url", "map_url", "latitude", "longitude"), .object("country", country),
            .fields("map_image", "total_launch_count", "orbital_launch_attempt_count", "fastest_turnaround"),
            .object("location", location),
        ])

    public static let orbit = Shape(
        "Orbit", entity: "orbit", [.id, .fields("name", "abbrev"), .object("celestial_body", celestialBodyMini)])

    public static let mission = Shape(
        "Mission", entity: "mission",
        [
            .id, .fields("name", "type", "description"), .object("image", image), .object("orbit", orbit),
            .list("agencies", agencyDetailed), .list("info_urls", infoURL), .list("vid_urls", vidURL),
        ])

    /// LL2's `LauncherConfigFamilyMini` schema: a `launcher_config_family` as its `list` mode shows it.
    public static let launcherConfigFamilyMini = Shape(
        "LauncherConfigFamilyMini", entity: "launcher_config_family", mode: "list", [.responseMode, .id, .field("name")])

    /// LL2's `LauncherConfigList` schema: a `launcher_config` as its `list` mode shows it.
    public static let launcherConfigList = Shape(
        "LauncherConfigList", entity: "launcher_config", mode: "list",
        [
            .responseMode, .id, .url, .field("name"), .list("families", launcherConfigFamilyMini),
            .fields("full_name", "variant"),
        ])

    public static let rocketNormal = Shape("RocketNormal", entity: "rocket", [.id, .object("configuration", launcherConfigList)])

    /// LL2's `MissionPatch` schema: a `mission_patch` as its `normal` mode shows it.
    public static let missionPatch = Shape(
        "MissionPatch", entity: "mission_patch", mode: "normal",
        [.id, .fields("name", "priority", "image_url"), .object("agency", agencyMini), .responseMode])

    /// LL2's `ProgramNormal` schema: a `program` as its `normal` mode shows it.
    public static let programNormal = Shape(
        "ProgramNormal", entity: "program", mode: "normal",
        [
            .responseMode, .id, .url, .field("name"), .object("image", image), .fields("info_url", "wiki_url", "description"),
            .list("agencies", agencyMini), .fields("start_date", "end_date"), .list("mission_patches", missionPatch),
            .object("type", idName("program_type")),
        ])

    /// LL2's `LaunchNormal` schema: a `launch` as its `normal` mode shows it.
    public static let launchNormal = Shape(
        "LaunchNormal", entity: "launch", mode: "normal",
        [
            launchBasicMembers, .fields("probability", "weather_concerns", "failreason", "hashtag"),
            .object("launch_service_provider", agencyMini), .object("rocket", rocketNormal), .object("mission", mission),
            .object("pad", pad), .field("webcast_live"), .list("program", programNormal),
            launchAttemptCounts,
        ])

    static let launchAttemptCounts: Shape.Member = .fields(
        "orbital_launch_attempt_count", "location_launch_attempt_count", "pad_launch_attempt_count",
        "agency_launch_attempt_count", "orbital_launch_attempt_count_year", "location_launch_attempt_count_year",
        "pad_launch_attempt_count_year", "agency_launch_attempt_count_year")

    public static let landingLocation = Shape(
        "LandingLocation", entity: "landing_location",
        [
            .id, .fields("name", "active", "abbrev", "description"), .object("location", locationNoCelestialBody),
            .fields("longitude", "latitude"), .object("image", image),
            .fields("successful_landings", "attempted_landings", "failed_landings"),
            .object("celestial_body", celestialBodyNormal),
        ])

    public static let landing = Shape(
        "Landing", entity: "landing",
        [
            .id, .url, .fields("attempt", "success", "description", "downrange_distance"),
            .object("landing_location", landingLocation), .object("type", idNameAbbrevDescription("landing_type")),
        ])
}
