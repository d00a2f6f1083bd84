/// The resources the seed endpoints link to, declared from the spec's description of each path
/// (`Modes`, `Filters`, `Search`, `Ordering`). Filters that need data Perigee does not model or whose
/// meaning the spec leaves open are listed in each declaration's `notYet`, so the gap is written
/// down where it is.
extension Endpoints {
    /// The launch and landing counts agencies, launcher configurations and their families filter and order by.
    static let agencyCounts = [
        "attempted_landings", "consecutive_successful_landings", "consecutive_successful_launches", "failed_landings",
        "failed_launches", "pending_launches", "successful_landings", "successful_launches", "total_launch_count",
    ]

    /// `/agencies/`: LL2's Agency endpoint (list and detail).
    public static let agencies = Endpoint(
        title: "Agency", path: "agencies", entity: "agency",
        modes: [("list", Shapes.agencyMini), ("normal", Shapes.agencyNormal), ("detailed", Shapes.agencyEndpointDetailed)],
        filters: FilterField.textContains("abbrev", "description", "name")
            + FilterField.named("country_code", path: "country__alpha_3_code", .in, .text)
            + agencyCounts.flatMap { FilterField.numbers($0) } + FilterField.numbers("founding_year")
            + FilterField.exact("featured", .boolean) + FilterField.exact("id", .number)
            + FilterField.exact("type__id", .number) + FilterField.named("spacecraft", path: "spacecraft_configs__id", .isSet, .boolean)
            + FilterField.named("parent__id", path: "parent_agency", .exact, .number),
        search: ["abbrev", "name"],
        ordering: NamedPath.list((agencyCounts + ["featured", "id", "name"]).sorted()),
        modeExample: "mode=list", filterExample: "abbrev=NASA", searchExample: "search=SpaceX",
        orderingExample: "ordering=-total_launch_count")

    /// `/spacecraft_configurations/`: LL2's Spacecraft Configuration endpoint (list and detail).
    public static let spacecraftConfigurations = Endpoint(
        title: "Spacecraft Configuration", path: "spacecraft_configurations", entity: "spacecraft_config",
        modes: [("normal", Shapes.spacecraftConfigNormal), ("detailed", Shapes.spacecraftConfigDetailed)],
        filters: FilterField.exact("agency", .choice) + FilterField.exact("human_rated", .boolean)
            + FilterField.exact("in_use", .boolean) + FilterField.exact("name", .text),
        search: ["agency__abbrev", "agency__name", "name"], ordering: ["name"],
        filterExample: "human_rated=True", searchExample: "search=Dragon", orderingExample: "ordering=name")

    /// `/space_stations/`: LL2's Space Station endpoint (list and detail).
    public static let spaceStations = Endpoint(
        title: "Space Station", path: "space_stations", entity: "space_station",
        modes: [("normal", Shapes.spaceStationEndpoint), ("detailed", Shapes.spaceStationDetailedEndpoint)],
        filters: FilterField.numbers("docked_vehicles", "onboard_crew") + FilterField.exact("id", .number)
            + FilterField.textContains("name") + FilterField.named("owner__ids", path: "owners", .in, .number)
            + FilterField.named("owners", path: "owners", .exact, .number) + FilterField.exact("status", .choice)
            + FilterField.named("status__ids", path: "status", .in, .number) + FilterField.exact("type", .choice),
        search: ["name", "owners__abbrev", "owners__name"],
        ordering: ["docked_vehicles", "founded", "id", "name", "onboard_crew", "status", "type", "volume"],
        notYet: ["orbit"],
        filterExample: "onboard_crew__gte=1", searchExample: "search=Salyut", orderingExample: "ordering=founded")

    static let launchCounts = [
        "agency_launch_attempt_count", "agency_launch_attempt_count_year", "location_launch_attempt_count",
        "location_launch_attempt_count_year", "orbital_launch_attempt_count", "orbital_launch_attempt_count_year",
        "pad_launch_attempt_count", "pad_launch_attempt_count_year",
    ]

    /// `/launches/`: LL2's Launch endpoint (list and detail).
    public static let launches = launchView(title: "Launch", path: "launches")

    /// LL2's upcoming launches: `net` from 24 hours ago on (`hide_recent_previous=true`: from now on),
    /// soonest first (NOTES.md, "Upcoming and previous"; the spec's parameter description).
    public static let launchesUpcoming = launchView(
        title: "Launch Upcoming", path: "launches/upcoming", window: .from("net", offset: -TimeWindow.day),
        extraFilters: FilterField.named("hide_recent_previous", path: "net", .notBeforeNow, .boolean), defaultOrdering: ["net"],
        filterExample: "hide_recent_previous=True")

    /// LL2's previous launches: `net` before now, latest first.
    public static let launchesPrevious = launchView(
        title: "Launch Previous", path: "launches/previous", window: .before("net"), defaultOrdering: ["-net"])

    /// The launches endpoint and its upcoming and previous views: one declaration of filters, search and
    /// ordering, as LL2's three viewsets share one FilterSet.
    static func launchView(
        title: String, path: String, window: TimeWindow? = nil, extraFilters: [FilterField] = [], defaultOrdering: [String] = [],
        filterExample: String = "pad__location=13"
    ) -> Endpoint {
        Endpoint(
            title: title, path: path, entity: "launch",
            modes: [("list", Shapes.launchBasic), ("normal", Shapes.launchNormal), ("detailed", Shapes.launchDetailed)],
            filters: launchCounts.flatMap { FilterField.numbers($0) }
                + FilterField.named("id", path: "id", .in, .text)
                + FilterField.range("last_updated", .dateTime, [.gte, .lte])
                + FilterField.named("launch_designator", path: "launch_designator", .in, .text)
                + FilterField.named("launcher_config__id", path: "rocket__configuration", .in, .number)
                + FilterField.named("lsp__id", path: "launch_service_provider", .in, .number)
                + FilterField.named("lsp__name", path: "launch_service_provider__name", .in, .text)
                + FilterField.exact("mission__orbit__celestial_body__id", .number)
                + FilterField.range("mission__orbit__name", .text, [.exact, .icontains]) + FilterField.exact("name", .text)
                + FilterField.range("net", .dateTime, [.gt, .gte, .lt, .lte]) + FilterField.exact("pad", .number)
                + FilterField.exact("pad__location", .number) + FilterField.exact("pad__location__celestial_body__id", .number)
                + FilterField.range("rocket__configuration__full_name", .text, [.exact, .icontains])
                + FilterField.exact("rocket__configuration__id", .number)
                + FilterField.range("rocket__configuration__manufacturer__name", .text, [.exact, .icontains])
                + FilterField.exact("rocket__configuration__name", .text) + FilterField.exact("slug", .text)
                + FilterField.exact("status", .number) + FilterField.named("status__ids", path: "status", .in, .number)
                + FilterField.range("window_end", .dateTime, [.gt, .gte, .lt, .lte])
                + FilterField.range("window_start", .dateTime, [.gt, .gte, .lt, .lte])
                + FilterField.named("location__ids", path: "pad__location", .in, .number)
                + FilterField.named("program", path: "program", .in, .number)
                + FilterField.named("rocket__spacecraftflight__spacecraft__id", path: "spacecraftflight__spacecraft__id", .exact, .number)
                + FilterField.named("rocket__spacecraftflight__spacecraft__name", path: "spacecraftflight__spacecraft__name", .exact, .text)
                + FilterField.named(
                    "rocket__spacecraftflight__spacecraft__name__icontains", path: "spacecraftflight__spacecraft__name", .icontains, .text)
                + FilterField.named(
                    "spacecraft_config__ids", path: "spacecraftflight__spacecraft__spacecraft_config", .in, .number)
                + FilterField.named("serial_number", path: "firststage__launcher__serial_number", .in, .text)
                + FilterField.named("year", path: "net", .year, .number) + FilterField.named("month", path: "net", .month, .number)
                + FilterField.named("day", path: "net", .day, .number)
                + FilterField.named("video_url", path: "vid_urls__url", .in, .text)
                + FilterField.named("is_crewed", path: "spacecraftflight__launch_crew", .isSet, .boolean)
                + FilterField.includes("include_suborbital", path: "mission__orbit__abbrev", leavingOut: "Sub")
                + FilterField.anyOf(
                    "related_lsp__id", paths: ["launch_service_provider", "launch_service_provider__parent_agency"], .in, .number)
                + FilterField.anyOf(
                    "related_lsp__name", paths: ["launch_service_provider__name", "launch_service_provider__parent"], .in, .text)
                + extraFilters,
            search: [
                "launch_designator", "launch_service_provider__name", "mission__name", "name", "pad__location__name", "pad__name",
                "rocket__configuration__manufacturer__abbrev", "rocket__configuration__manufacturer__name",
                "rocket__configuration__name",
                .named("rocket__spacecraftflight__spacecraft__name", path: "spacecraftflight__spacecraft__name"),
            ],
            ordering: ["id", "last_updated", "name", "net"],
            window: window, defaultOrdering: defaultOrdering,
            modeExample: "mode=list", filterExample: filterExample, searchExample: "search=Starlink",
            orderingExample: "ordering=-last_updated")
    }

    /// `/events/`: LL2's Event endpoint (list and detail).
    public static let events = eventView(title: "Event", path: "events")

    /// Events from 24 hours ago on (`hide_recent_previous=true`: from now on), soonest first, as
    /// launches (NOTES.md: "split the same way on `date`").
    public static let eventsUpcoming = eventView(
        title: "Event Upcoming", path: "events/upcoming", window: .from("date", offset: -TimeWindow.day),
        extraFilters: FilterField.named("hide_recent_previous", path: "date", .notBeforeNow, .boolean), defaultOrdering: ["date"])

    /// Events before now, latest first.
    public static let eventsPrevious = eventView(
        title: "Event Previous", path: "events/previous", window: .before("date"), defaultOrdering: ["-date"])

    /// The events endpoint and its upcoming and previous views, sharing one set of filters.
    static func eventView(
        title: String, path: String, window: TimeWindow? = nil, extraFilters: [FilterField] = [], defaultOrdering: [String] = []
    ) -> Endpoint {
        Endpoint(
            title: title, path: path, entity: "event",
            modes: [("list", Shapes.eventList), ("normal", Shapes.eventNormal), ("detailed", Shapes.eventDetailed)],
            filters: FilterField.named("agency__ids", path: "agencies", .in, .number)
                + FilterField.range("date", .dateTime, [.gt, .gte, .lte])
                + FilterField.named("day", path: "date", .day, .number) + FilterField.named("id", path: "id", .in, .number)
                + FilterField.range("last_updated", .dateTime, [.gte, .lte]) + FilterField.named("month", path: "date", .month, .number)
                + FilterField.named("program", path: "program", .in, .number) + FilterField.exact("slug", .text)
                + FilterField.exact("type", .number) + FilterField.named("type__ids", path: "type", .in, .number)
                + FilterField.named("year", path: "date", .year, .number)
                + FilterField.named("video_url", path: "vid_urls__url", .in, .text) + extraFilters,
            search: ["name"], ordering: ["date", "last_updated"],
            // `date__gt__lt` is in LL2's list but names no lookup Django has.
            notYet: ["date__gt__lt"],
            window: window, defaultOrdering: defaultOrdering,
            modeExample: "mode=list", filterExample: "type__ids=2,8", searchExample: "search=Flyby",
            orderingExample: "ordering=-last_updated")
    }

    /// `/landings/`: LL2's Landing endpoint (list and detail).
    public static let landings = Endpoint(
        title: "Landing", path: "landings", entity: "landing",
        modes: [
            ("list", Shapes.landingEndpointList), ("normal", Shapes.landingEndpointNormal),
            ("detailed", Shapes.landingEndpointDetailed),
        ],
        filters: FilterField.exact("attempt", .boolean) + FilterField.exact("success", .boolean)
            + FilterField.named("landing_location__ids", path: "landing_location", .in, .number)
            + FilterField.named("landing_type__ids", path: "type", .in, .number)
            + FilterField.named("spacecraft__ids", path: "spacecraftflight__spacecraft", .in, .number)
            + FilterField.named("spacecraft_config__ids", path: "spacecraftflight__spacecraft__spacecraft_config", .in, .number)
            + FilterField.named("spacecraft_launch__ids", path: "spacecraftflight__launch", .in, .text)
            + FilterField.named("firststage_launch__ids", path: "firststage__launch", .in, .text)
            + FilterField.named("launcher__ids", path: "firststage__launcher", .in, .number)
            + FilterField.named("launcher_config__ids", path: "firststage__launcher__launcher_config", .in, .number)
            + FilterField.named("launcher_serial_numbers", path: "firststage__launcher__serial_number", .in, .text),
        search: [
            "firststage__launcher__launcher_config__name", "firststage__launcher__serial_number",
            .named("firststage__rocket__launch__name", path: "firststage__launch__name"),
            "landing_location__abbrev", "landing_location__name",
            .named("spacecraftflight__rocket__launch__name", path: "spacecraftflight__launch__name"),
            "spacecraftflight__spacecraft__name", "spacecraftflight__spacecraft__serial_number",
            "spacecraftflight__spacecraft__spacecraft_config__name",
        ],
        ordering: ["downrange_distance", "id"],
        modeExample: "mode=list", filterExample: "spacecraft__ids=39,37", searchExample: "search=B1059",
        orderingExample: "ordering=downrange_distance")

    /// `/pads/`: LL2's Pad endpoint (list and detail).
    public static let pads = Endpoint(
        title: "Pad", path: "pads", entity: "pad", modes: [("", Shapes.pad)],
        filters: FilterField.named("agencies_ids", path: "agencies", .in, .number) + FilterField.exact("id", .number)
            + FilterField.range("latitude", .decimal, [.gt, .gte, .lt, .lte])
            + FilterField.range("longitude", .decimal, [.gt, .gte, .lt, .lte])
            + FilterField.exact("location__id", .number) + FilterField.textContains("location__name", "name")
            + FilterField.numbers("orbital_launch_attempt_count", "total_launch_count")
            + FilterField.range("id", .number, [.contains]),
        search: ["location__name", "name", "orbital_launch_attempt_count", "total_launch_count"],
        ordering: ["id", "location__id", "location__name", "name", "orbital_launch_attempt_count", "total_launch_count"],
        filterExample: "location__id=11", searchExample: "search=39A", orderingExample: "ordering=-orbital_launch_attempt_count")

    /// `/locations/`: LL2's Location endpoint (list and detail).
    public static let locations = Endpoint(
        title: "Location", path: "locations", entity: "location",
        modes: [("normal", Shapes.location), ("detailed", Shapes.locationWithPads)],
        filters: FilterField.named("country_code", path: "country__alpha_3_code", .exact, .text)
            + FilterField.exact("id", .number) + FilterField.textContains("name")
            + FilterField.numbers("total_landing_count", "total_launch_count"),
        search: ["country__alpha_3_code", "name"], ordering: ["total_landing_count", "total_launch_count"],
        filterExample: "country_code=NZL", searchExample: "search=Cape Canaveral", orderingExample: "ordering=-total_launch_count")

    /// `/programs/`: LL2's Program endpoint (list and detail).
    public static let programs = Endpoint(
        title: "Program", path: "programs", entity: "program",
        modes: [("list", Shapes.programMini), ("normal", Shapes.programNormal)], detailMode: "normal", modeExample: "mode=list")

    /// `/launcher_configurations/`: LL2's Launcher Configuration endpoint (list and detail).
    public static let launcherConfigurations = Endpoint(
        title: "Launcher Configuration", path: "launcher_configurations", entity: "launcher_config",
        modes: [
            ("list", Shapes.launcherConfigList), ("normal", Shapes.launcherConfigNormal),
            ("detailed", Shapes.launcherConfigDetailed),
        ],
        filters: FilterField.exact("active", .boolean) + agencyCounts.flatMap { FilterField.numbers($0) }
            + FilterField.named("families", path: "families", .in, .number)
            + FilterField.named("families__contains", path: "families__name", .contains, .text)
            + FilterField.textContains("full_name") + FilterField.exact("is_placeholder", .boolean)
            + FilterField.range("maiden_flight", .date, [.exact, .gt, .gte, .lt, .lte])
            + FilterField.textContains("manufacturer__name", "name")
            + FilterField.named("program", path: "program", .in, .number)
            + FilterField.named("program__contains", path: "program__name", .contains, .text),
        search: ["full_name", "manufacturer__abbrev", "manufacturer__name", "name"],
        ordering: NamedPath.list((agencyCounts + ["gto_capacity", "launch_cost", "launch_mass", "leo_capacity", "maiden_flight", "name"]).sorted()),
        modeExample: "mode=list", filterExample: "manufacturer__name=SpaceX", searchExample: "search=Soyuz",
        orderingExample: "ordering=-total_launch_count")

    /// `/celestial_bodies/`: LL2's Celestial Body endpoint (list and detail).
    public static let celestialBodies = Endpoint(
        title: "Celestial Body", path: "celestial_bodies", entity: "celestial_body",
        modes: [
            ("list", Shapes.celestialBodyMini), ("normal", Shapes.celestialBodyNormal),
            ("detailed", Shapes.celestialBodyEndpointDetailed),
        ],
        search: ["name", "type__name"], ordering: ["id", "name"],
        modeExample: "mode=list", searchExample: "search=Mars", orderingExample: "ordering=-name")

    /// `/spacecraft_configuration_families/`: LL2's Spacecraft Config Family endpoint (list and detail).
    public static let spacecraftConfigurationFamilies = Endpoint(
        title: "Spacecraft Config Family", path: "spacecraft_configuration_families", entity: "spacecraft_config_family",
        modes: [
            ("list", Shapes.spacecraftConfigFamilyMini), ("normal", Shapes.spacecraftConfigFamilyNormal),
            ("detailed", Shapes.spacecraftConfigFamilyEndpointDetailed),
        ],
        filters: FilterField.exact("manufacturer", .choice) + FilterField.exact("name", .text),
        search: ["manufacturer__abbrev", "manufacturer__name", "name"], ordering: ["name"],
        modeExample: "mode=list", filterExample: "manufacturer=121", searchExample: "search=Northrop",
        orderingExample: "ordering=name")

    /// `/launcher_configuration_families/`: LL2's Launcher Config Family endpoint (list and detail).
    public static let launcherConfigurationFamilies = Endpoint(
        title: "Launcher Config Family", path: "launcher_configuration_families", entity: "launcher_config_family",
        modes: [
            ("list", Shapes.launcherConfigFamilyMini), ("normal", Shapes.launcherConfigFamilyNormal),
            ("detailed", Shapes.launcherConfigFamilyDetailed),
        ],
        filters: agencyCounts.flatMap { FilterField.numbers($0) }
            + FilterField.range("maiden_flight", .date, [.exact, .gt, .gte, .lt, .lte])
            + FilterField.textContains("manufacturer__abbrev", "manufacturer__name", "name")
            + FilterField.range("manufacturer__id", .number, [.exact, .contains]),
        search: ["manufacturer__abbrev", "manufacturer__name", "name"],
        ordering: NamedPath.list((agencyCounts + ["name"]).sorted()),
        notYet: ["manufacturer__country_code"],
        modeExample: "mode=list", filterExample: "manufacturer__name=SpaceX", searchExample: "search=Ariane",
        orderingExample: "ordering=-total_launch_count")
}
