/// The endpoints of what a launch carries and what LL2 says about it (issue 15): first-stage
/// cores, payloads and their flights, mission patches and updates, declared from the spec's
/// description of each path.
extension Endpoints {
    static let landingCounts = ["attempted_landings", "flights", "successful_landings"]

    /// `/launchers/`: LL2's Launcher endpoint (list and detail).
    public static let launchers = Endpoint(
        title: "Launcher", path: "launchers", entity: "launcher",
        modes: [("list", Shapes.launcherMini), ("normal", Shapes.launcherNormal), ("detailed", Shapes.launcherDetailed)],
        filters: landingCounts.flatMap { FilterField.numbers($0) }
            + FilterField.exact("first_launch_date", .dateTime) + FilterField.exact("flight_proven", .boolean)
            + FilterField.range("id", .number, [.exact, .contains]) + FilterField.exact("is_placeholder", .boolean)
            + FilterField.exact("last_launch_date", .dateTime)
            + FilterField.named("launcher_config__ids", path: "launcher_config", .in, .number)
            + FilterField.textContains("launcher_config__manufacturer__name", "serial_number")
            + FilterField.exact("status", .choice),
        search: ["serial_number", "status__name"],
        ordering: ["attempted_landings", "flight_proven", "flights", "id", "successful_landings"],
        modeExample: "mode=list", filterExample: "flight_proven=True", searchExample: "search=B1062",
        orderingExample: "ordering=-flights")

    /// `/payloads/`: LL2's Payload endpoint (list and detail).
    public static let payloads = Endpoint(
        title: "Payload", path: "payloads", entity: "payload",
        modes: [("list", Shapes.payloadMini), ("normal", Shapes.payloadNormal), ("detailed", Shapes.payloadDetailed)],
        filters: FilterField.exact("manufacturer__id", .number) + FilterField.exact("manufacturer__name", .text)
            + FilterField.exact("name", .text) + FilterField.exact("operator", .choice)
            + FilterField.exact("operator__id", .number) + FilterField.exact("operator__name", .text)
            + FilterField.exact("program__id", .number),
        search: [
            "manufacturer__name", "name", "operator__name", "payloadflight__destination",
            .named("payloadflight__rocket__launch__name", path: "payloadflight__launch__name"),
        ],
        // Through a payload's flights: by its earliest launch ascending, its latest descending (`sortValue`).
        ordering: ["id", "name", .named("payloadflight__rocket__launch__net", path: "payloadflight__launch__net")],
        modeExample: "mode=list", filterExample: "program__id=18", searchExample: "search=EarthCare",
        orderingExample: "ordering=name")

    /// `/payload_flights/`: LL2's Payload Flight endpoint (list and detail).
    public static let payloadFlights = Endpoint(
        title: "Payload Flight", path: "payload_flights", entity: "payload_flight",
        modes: [
            ("list", Shapes.payloadFlightMini), ("normal", Shapes.payloadFlightNormal), ("detailed", Shapes.payloadFlightDetailed),
        ],
        filters: FilterField.exact("payload", .choice),
        modeExample: "mode=list", filterExample: "payload=2")

    /// `/mission_patches/`: LL2's Mission Patch endpoint (list and detail).
    public static let missionPatches = Endpoint(
        title: "Mission Patch", path: "mission_patches", entity: "mission_patch",
        modes: [("normal", Shapes.missionPatch), ("detailed", Shapes.missionPatchDetailed)],
        filters: FilterField.exact("agency__id", .number) + FilterField.textContains("agency__name")
            + FilterField.exact("id", .number) + FilterField.named("ids", path: "id", .in, .number)
            + FilterField.textContains("name"),
        search: ["agency__name", "name"], ordering: ["agency__name", "id", "name", "priority"],
        modeExample: "mode=detailed", filterExample: "agency__id=147", searchExample: "search=Ariane",
        orderingExample: "ordering=priority")

    /// `/updates/`: LL2's Update endpoint (list and detail).
    public static let updates = Endpoint(
        title: "Update", path: "updates", entity: "update", modes: [("", Shapes.update)],
        filters: FilterField.exact("created_on", .dateTime) + FilterField.exact("launch", .text)
            + FilterField.exact("launch__launch_service_provider", .number) + FilterField.exact("program", .number),
        ordering: ["created_on"],
        filterExample: "launch__launch_service_provider=121", orderingExample: "ordering=-created_on")
}
