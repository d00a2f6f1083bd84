/// Every resource endpoint Perigee serves, declared once each.
public enum Endpoints {
    /// `/spacecraft/`: LL2's Spacecraft endpoint (list and detail).
    public static let spacecraft = Endpoint(
        title: "Spacecraft", path: "spacecraft", entity: "spacecraft",
        modes: [("normal", Shapes.spacecraftNormal), ("detailed", Shapes.spacecraftEndpointDetailed)],
        filters: FilterField.exact("in_space", .boolean) + FilterField.exact("is_placeholder", .boolean)
            + FilterField.exact("name", .text) + FilterField.exact("spacecraft_config", .choice)
            + FilterField.exact("status", .choice),
        search: ["name", "spacecraft_config__name"],
        ordering: ["flights_count", "id", "mission_ends_count", "time_docked", "time_in_space"],
        filterExample: "is_placeholder=True", searchExample: "search=Endeavour", orderingExample: "ordering=-flights_count",
        writes: WriteRules(required: ["name", "status", "spacecraft_config"], defaults: [("is_placeholder", false)]))

    /// `/spacecraft_flights/`: LL2's Spacecraft Flight endpoint (list and detail).
    public static let spacecraftFlights = Endpoint(
        title: "Spacecraft Flight", path: "spacecraft_flights", entity: "spacecraft_flight",
        modes: [("normal", Shapes.spacecraftFlightNormal), ("detailed", Shapes.spacecraftFlightDetailed)],
        filters: FilterField.exact("spacecraft", .choice),
        filterExample: "spacecraft=289",
        writes: WriteRules(required: ["spacecraft"]))

    /// `/docking_events/`: LL2's Docking Event endpoint (list and detail).
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
        filterExample: "space_station_target__id=6", searchExample: "search=Salyut", orderingExample: "ordering=-docking",
        writes: WriteRules(required: ["docking", "docking_location"]))

    /// The `/config/` lookups whose objects appear nested.
    public static let config: [Endpoint] = [
        .config("Agency Type", "agency_types", entity: "agency_type", shape: Shapes.idName("agency_type")),
        .config("Celestial Body Type", "celestial_body_types", entity: "celestial_body_type", shape: Shapes.idName("celestial_body_type")),
        .config("Country", "countries", entity: "country", shape: Shapes.country),
        .config("Docking Location", "docking_locations", entity: "docking_location", shape: Shapes.dockingLocation),
        .config("Image License", "image_licenses", entity: "image_license", shape: Shapes.imageLicense),
        .config("Landing Location", "landing_locations", entity: "landing_location", shape: Shapes.landingLocation),
        .config("Landing Type", "landing_types", entity: "landing_type", shape: Shapes.idNameAbbrevDescription("landing_type")),
        .config("Launch Status", "launch_statuses", entity: "launch_status", shape: Shapes.idNameAbbrevDescription("launch_status")),
        .config("Mission Type", "mission_types", entity: "mission_type", shape: Shapes.idName("mission_type")),
        .config("Net Precision", "net_precisions", entity: "net_precision", shape: Shapes.idNameAbbrevDescription("net_precision")),
        .config("Orbit", "orbits", entity: "orbit", shape: Shapes.orbit),
        .config("Program Type", "program_types", entity: "program_type", shape: Shapes.idName("program_type")),
        .config("Space Station Status", "space_station_statuses", entity: "space_station_status", shape: Shapes.idName("space_station_status")),
        .config(
            "Spacecraft Config Type", "spacecraft_configuration_types", entity: "spacecraft_config_type",
            shape: Shapes.idName("spacecraft_config_type")),
        .config("Spacecraft Status", "spacecraft_statuses", entity: "spacecraft_status", shape: Shapes.idName("spacecraft_status")),
        .config("Event Type", "event_types", entity: "event_type", shape: Shapes.idName("event_type")),
        .config("First Stage Type", "first_stage_types", entity: "first_stage_type", shape: Shapes.idName("first_stage_type")),
        .config("Image Variant Type", "image_variant_types", entity: "image_variant_type", shape: Shapes.idName("image_variant_type")),
        .config("Info URL Type", "infourl_types", entity: "infourl_type", shape: Shapes.infoURLType),
        .config("Language", "languages", entity: "language", shape: Shapes.language),
        .config("Launcher Status", "launcher_statuses", entity: "launcher_status", shape: Shapes.idName("launcher_status")),
        .config("Notice Type", "notice_types", entity: "notice_type", shape: Shapes.idName("notice_type")),
        .config("Payload Type", "payload_types", entity: "payload_type", shape: Shapes.idName("payload_type")),
        .config("Road Closure Status", "road_closure_statuses", entity: "road_closure_status", shape: Shapes.idName("road_closure_status")),
        .config(
            "Timeline Event Type", "timeline_event_types", entity: "timeline_event_type",
            shape: Shapes.timelineEventType),
        .config("Vid URL Type", "vidurl_types", entity: "vidurl_type", shape: Shapes.vidURLType),
    ]

    /// All endpoints, in the order the API root lists them (by path, as DRF's router does).
    public static let all: [Endpoint] =
        ([
            dockingEvents, spacecraft, spacecraftFlights, agencies, spacecraftConfigurations, spaceStations, launches, launchesUpcoming,
            launchesPrevious, events, eventsUpcoming, eventsPrevious, landings,
            pads, locations, programs, launcherConfigurations, celestialBodies, spacecraftConfigurationFamilies,
            launcherConfigurationFamilies, launchers, payloads, payloadFlights, missionPatches, updates,
        ] + config).sorted { $0.path < $1.path }

    /// Entities LL2 serves at a path that Perigee's objects link to (their `url`s need the path) but
    /// that have no endpoint yet. The declaration check refuses any other entity with a path and no
    /// endpoint, so `all` cannot silently miss one. Empty since the launch side landed (issue 15).
    public static let notServedYet: Set<String> = []

    /// What is wrong with the declarations (shapes naming fields their entity lacks, duplicate
    /// paths or parameter names); empty when all is well. Checked when the router is built, and by a test.
    public static func problems() -> [String] {
        var found = all.flatMap { endpoint in endpoint.modes.flatMap { $0.shape.problems() } }
        for endpoint in all {
            let paths = endpoint.filters.flatMap(\.paths) + endpoint.searchPaths + endpoint.orderingFields.map(\.path)
            found += paths.compactMap(\.unsupportedReason).map { "\(endpoint.path): \($0)" }
        }
        let paths = all.map(\.path)
        if Set(paths).count != paths.count { found.append("two endpoints share a path") }
        // `all` is written by hand; the catalog says what is served: each endpoint at its entity's
        // path, and every entity that has a path served by an endpoint there.
        // A view of part of an entity by time sits below the entity's path (`launches/upcoming`).
        for endpoint in all
        where endpoint.entity.path != endpoint.path
            && !(endpoint.window != nil && endpoint.path.hasPrefix((endpoint.entity.path ?? "") + "/"))
        {
            found.append("\(endpoint.path): its entity \(endpoint.entity.name) is at \(endpoint.entity.path ?? "no path")")
        }
        let served = Set(all.map(\.entity.name))
        for entity in Catalog.entities where entity.path != nil && !served.contains(entity.name) && !notServedYet.contains(entity.name) {
            found.append("\(entity.path!): the catalog serves \(entity.name) there, but no endpoint in Endpoints.all does")
        }
        found += served.intersection(notServedYet).sorted().map { "\($0): served, yet listed in Endpoints.notServedYet" }
        // The OpenAPI document names a schema per shape name: one name, one tree of keys, nested ones included.
        var signatureByName: [String: String] = [:]
        func visit(_ shape: Shape) {
            let signature = shape.signature
            if let known = signatureByName[shape.name] {
                if known != signature { found.append("two shapes named \(shape.name) differ") }
                return
            }
            signatureByName[shape.name] = signature
            for member in shape.members {
                switch member {
                case .object(_, let nested), .list(_, let nested), .first(_, let nested): visit(nested)
                default: break
                }
            }
        }
        for endpoint in all { for mode in endpoint.modes { visit(mode.shape) } }
        for endpoint in all where Set(endpoint.filters.map(\.field.name)).count != endpoint.filters.count {
            found.append("\(endpoint.path): two filters share a name")
        }
        return found
    }

    /// The endpoint served under `path`.
    public static func endpoint(path: String) -> Endpoint? { all.first { $0.path == path } }
}
