/// Shapes of what a launch's rocket carries and what LL2 serves about it: first-stage cores
/// (launchers) and their flights, payloads and payload flights, updates and mission patches,
/// in the spec's key order for each mode.
extension Shapes {
    // MARK: Launchers (first-stage cores)

    static let launcherHead: Shape.Member = .group([
        .responseMode, .id, .url, .fields("flight_proven", "serial_number", "is_placeholder"),
        .object("status", idName("launcher_status")), .object("image", image),
    ])

    static let launcherFigures: Shape.Member = .fields(
        "details", "successful_landings", "attempted_landings", "flights", "last_launch_date", "first_launch_date",
        "fastest_turnaround")

    /// LL2's `LauncherMini` schema: a `launcher` as its `list` mode shows it.
    public static let launcherMini = Shape("LauncherMini", entity: "launcher", mode: "list", [launcherHead])

    /// LL2's `LauncherNormal` schema: a `launcher` as its `normal` mode shows it.
    public static let launcherNormal = Shape("LauncherNormal", entity: "launcher", mode: "normal", [launcherHead, launcherFigures])

    /// LL2's `LauncherDetailed` schema: a `launcher` as its `detailed` mode shows it.
    public static let launcherDetailed = Shape(
        "LauncherDetailed", entity: "launcher", mode: "detailed",
        [launcherHead, launcherFigures, .object("launcher_config", launcherConfigList)])

    static let firstStageHead: Shape.Member = .group([.id, .fields("type", "reused", "launcher_flight_number")])

    /// A rocket's first stage, as a launch's detail lists it.
    public static let firstStageNormal = Shape(
        "FirstStageNormal", entity: "first_stage",
        [
            firstStageHead, .object("launcher", launcherNormal), .fields("previous_flight_date", "turn_around_time"),
            .object("landing", landing), .object("previous_flight", launchMini),
        ])

    /// The first stage of a landing in the landings endpoint's list form.
    public static let firstStageMini = Shape(
        "FirstStageMini", entity: "first_stage",
        [firstStageHead, .object("launcher", launcherMini), .fields("previous_flight_date", "turn_around_time")])

    public static let firstStageNormalNoLanding = Shape(
        "FirstStageNormalSerializerNoLanding", entity: "first_stage",
        [
            firstStageHead, .object("launcher", launcherNormal), .fields("previous_flight_date", "turn_around_time"),
            .object("previous_flight", launchMini),
        ])

    public static let firstStageDetailedNoLanding = Shape(
        "FirstStageDetailedSerializerNoLanding", entity: "first_stage",
        [
            firstStageHead, .object("launcher", launcherNormal), .fields("previous_flight_date", "turn_around_time"),
            .object("previous_flight", launchNormal),
        ])

    // MARK: Payloads and their flights

    /// LL2's `PayloadDetailed` schema: a `payload` as its `detailed` mode shows it.
    public static let payloadDetailed = Shape(
        "PayloadDetailed", entity: "payload", mode: "detailed",
        [
            .responseMode, .id, .field("name"), .object("type", idName("payload_type")),
            .object("manufacturer", agencyDetailed), .object("operator", agencyDetailed), .object("image", image),
            .fields("wiki_link", "info_link"), .list("program", programNormal), .fields("cost", "mass", "description"),
        ])

    /// LL2's `PayloadFlightDetailed` schema: a `payload_flight` as its `detailed` mode shows it.
    public static let payloadFlightDetailed = Shape(
        "PayloadFlightDetailed", entity: "payload_flight", mode: "detailed",
        [
            .responseMode, .id, .url, .fields("destination", "amount"), .object("payload", payloadDetailed),
            .object("launch", launchNormal), .object("landing", landing), .list("docking_events", dockingEventForChaser),
        ])

    /// A payload flight in its launch's rocket (so without the launch).
    public static let payloadFlightNoLaunch = Shape(
        "PayloadFlightSerializerNoLaunch", entity: "payload_flight", mode: "detailed",
        [
            .responseMode, .id, .url, .fields("destination", "amount"), .object("payload", payloadDetailed),
            .object("landing", landing), .list("docking_events", dockingEventForChaser),
        ])

    /// A spacecraft flight in its launch's rocket (so without the launch).
    public static let spacecraftFlightNoLaunch = Shape(
        "SpacecraftFlightDetailedSerializerNoLaunch", entity: "spacecraft_flight", mode: "detailed",
        [
            flightHead, .object("spacecraft", spacecraftDetailed), .object("landing", landing),
            .fields("duration", "turn_around_time"), .responseMode, .fields("launch_crew", "onboard_crew", "landing_crew"),
            .list("docking_events", dockingEventForChaser),
        ])

    public static let rocketDetailed = Shape(
        "RocketDetailed", entity: "rocket",
        [
            .id, .object("configuration", launcherConfigDetailed), .list("launcher_stage", firstStageNormal),
            .list("spacecraft_stage", spacecraftFlightNoLaunch), .list("payloads", payloadFlightNoLaunch),
        ])

    // MARK: Links and timeline

    public static let language = Shape("Language", entity: "language", [.id, .fields("name", "code")])
    public static let infoURLType = Shape("InfoURLType", entity: "infourl_type", [.id, .field("name")])
    public static let vidURLType = Shape("VidURLType", entity: "vidurl_type", [.id, .field("name")])
    public static let timelineEventType = Shape(
        "TimelineEventType", entity: "timeline_event_type", [.id, .fields("abbrev", "description")])

    public static let infoURL = Shape(
        "InfoURL", entity: "info_url",
        [
            .fields("priority", "source", "title", "description", "feature_image", "url"),
            .object("type", infoURLType), .object("language", language),
        ])

    public static let vidURL = Shape(
        "VidURL", entity: "vid_url",
        [
            .fields("priority", "source", "publisher", "title", "description", "feature_image", "url"),
            .object("type", vidURLType), .object("language", language),
            .fields("start_time", "end_time", "live"),
        ])

    public static let timelineEvent = Shape(
        "TimelineEvent", entity: "timeline_event",
        [
            .object("type", timelineEventType),
            .field("relative_time"),
        ])

    // MARK: Updates and mission patches

    public static let update = Shape(
        "Update", entity: "update", [.id, .fields("profile_image", "comment", "info_url", "created_by", "created_on")])

    /// LL2's `MissionPatchDetailed` schema: a `mission_patch` as its `detailed` mode shows it.
    public static let missionPatchDetailed = Shape(
        "MissionPatchDetailed", entity: "mission_patch", mode: "detailed",
        [
            .id, .fields("name", "priority", "image_url"), .object("agency", agencyDetailed), .responseMode,
            .list("launches", launchNormal), .field("expeditions"), .list("program", programNormal),
        ])
}
