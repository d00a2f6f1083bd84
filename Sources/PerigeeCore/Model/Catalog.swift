/// Every entity Perigee stores, modelled on LL2's own models (the spec's component schemas,
/// with the fields of all their modes merged). Tables, the importer and the representations
/// are all driven by this list.
public enum Catalog {
    /// All entities, in no particular order.
    public static let entities: [Entity] = lookups + images + organisations + vehicles + flights + launches + places

    /// The entity named `name`.
    public static func entity(_ name: String) -> Entity? { byName[name] }

    /// The entity whose detail URLs live under `path` (`spacecraft_flights`).
    public static func entity(path: String) -> Entity? { byPath[path] }

    private static let byName: [String: Entity] = Dictionary(uniqueKeysWithValues: entities.map { ($0.name, $0) })
    private static let byPath: [String: Entity] = Dictionary(
        uniqueKeysWithValues: entities.compactMap { entity in entity.path.map { ($0, entity) } })

    /// Small `{id, name, …}` objects LL2 serves under `/config/`.
    static let lookups: [Entity] = [
        Entity("agency_type", path: "config/agency_types", model: "Agency Type", fields: [.text("name")]),
        Entity(
            "country", path: "config/countries", model: "Country",
            fields: [
                .text("name"), .text("alpha_2_code"), .text("alpha_3_code"), .text("nationality_name"),
                .text("nationality_name_composed"),
            ]),
        Entity(
            "image_license", path: "config/image_licenses", model: "Image License",
            fields: [.text("name"), .int("priority"), .text("link")]),
        Entity("image_variant_type", path: "config/image_variant_types", model: "Image Variant Type", fields: [.text("name")]),
        Entity("spacecraft_status", path: "config/spacecraft_statuses", model: "Spacecraft Status", fields: [.text("name")]),
        Entity(
            "spacecraft_config_type", path: "config/spacecraft_configuration_types", model: "Spacecraft Config Type",
            fields: [.text("name")]),
        Entity(
            "launch_status", path: "config/launch_statuses", model: "Launch Status",
            fields: [.text("name"), .text("abbrev"), .text("description")]),
        Entity(
            "net_precision", path: "config/net_precisions", model: "Net Precision",
            fields: [.text("name"), .text("abbrev"), .text("description")]),
        Entity(
            "landing_type", path: "config/landing_types", model: "Landing Type",
            fields: [.text("name"), .text("abbrev"), .text("description")]),
        Entity(
            "celestial_body_type", path: "config/celestial_body_types", model: "Celestial Body Type", fields: [.text("name")]),
        Entity(
            "space_station_status", path: "config/space_station_statuses", model: "Space Station Status",
            fields: [.text("name")]),
        Entity("space_station_type", model: "Space Station Type", fields: [.text("name")]),
        Entity("program_type", path: "config/program_types", model: "Program Type", fields: [.text("name")]),
        Entity("mission_type", path: "config/mission_types", model: "Mission Type", fields: [.text("name")]),
        Entity("payload_type", path: "config/payload_types", model: "Payload Type", fields: [.text("name")]),
        // The launch side's lookups (issue 15): served, and filled as the records that use them arrive.
        Entity("first_stage_type", path: "config/first_stage_types", model: "First Stage Type", fields: [.text("name")]),
        Entity("launcher_status", path: "config/launcher_statuses", model: "Launcher Status", fields: [.text("name")]),
        Entity("event_type", path: "config/event_types", model: "Event Type", fields: [.text("name")]),
        Entity("vidurl_type", path: "config/vidurl_types", model: "Vid URL Type", fields: [.text("name")]),
        Entity("infourl_type", path: "config/infourl_types", model: "Info URL Type", fields: [.text("name")]),
        Entity("language", path: "config/languages", model: "Language", fields: [.text("name"), .text("code")]),
        Entity("notice_type", path: "config/notice_types", model: "Notice Type", fields: [.text("name")]),
        Entity("road_closure_status", path: "config/road_closure_statuses", model: "Road Closure Status", fields: [.text("name")]),
        Entity(
            "timeline_event_type", path: "config/timeline_event_types", model: "Timeline Event Type",
            fields: [.text("abbrev"), .text("description")]),
    ]

    static let images: [Entity] = [
        Entity(
            "image", model: "Image",
            fields: [
                .text("name"), .text("image_url"), .text("thumbnail_url"), .text("credit"), .ref("license", "image_license"),
                .bool("single_use"), .children("variants", "image_variant", via: "image"),
            ]),
        Entity(
            "image_variant", model: "Image Variant",
            fields: [.ref("type", "image_variant_type"), .text("image_url"), .ref("image", "image")]),
    ]

    static let organisations: [Entity] = [
        Entity(
            "agency", path: "agencies", model: "Agency",
            fields: [
                .text("name"), .text("abbrev"), .ref("type", "agency_type"), .bool("featured"), .refs("country", "country"),
                .text("description"), .text("administrator"), .int("founding_year"), .text("launchers"), .text("spacecraft"),
                .text("parent"), .ref("image", "image"), .ref("logo", "image"), .ref("social_logo", "image"),
                // Not in LL2's JSON: the agency `parent` names (`InferredReference.named`).
                .ref("parent_agency", "agency"),
            ]
                + Field.ints(
                    "total_launch_count", "consecutive_successful_launches", "successful_launches", "failed_launches",
                    "pending_launches", "consecutive_successful_landings", "successful_landings", "failed_landings",
                    "attempted_landings", "successful_landings_spacecraft", "failed_landings_spacecraft",
                    "attempted_landings_spacecraft", "successful_landings_payload", "failed_landings_payload",
                    "attempted_landings_payload")
                // Not an LL2 key: the spacecraft configurations this agency makes (the `spacecraft` filter).
                + [.children("spacecraft_configs", "spacecraft_config", via: "agency")]
                + [
                    .text("info_url"), .text("wiki_url"), .embeddedList("social_media_links"),
                    .children("launcher_list", "launcher_config", via: "manufacturer"),
                    .children("spacecraft_list", "spacecraft_config", via: "agency"),
                ],
            inferred: [.named("parent_agency", by: "parent")]),
        Entity(
            "program", path: "programs", model: "Program",
            fields: [
                .text("name"), .ref("image", "image"), .text("info_url"), .text("wiki_url"), .text("description"),
                .refs("agencies", "agency"), .dateTime("start_date"), .dateTime("end_date"),
                .refs("mission_patches", "mission_patch"), .ref("type", "program_type"),
            ]),
        Entity(
            "mission_patch", path: "mission_patches", model: "Mission Patch",
            fields: [
                .text("name"), .int("priority"), .text("image_url"), .ref("agency", "agency"),
                .reverseList("launches", "launch", through: "mission_patches"), .embeddedList("expeditions"),
                .reverseList("program", "program", through: "mission_patches"),
            ]),
    ]

    static let vehicles: [Entity] = [
        Entity(
            "spacecraft_config_family", path: "spacecraft_configuration_families", model: "Spacecraft Config Family",
            fields: [
                .text("name"), .text("description"), .ref("manufacturer", "agency"), .ref("parent", "spacecraft_config_family"),
                .date("maiden_flight"), .reverseList("spacecraft", "spacecraft_config", through: "family"),
            ]
                + Field.ints(
                    "spacecraft_flown", "total_launch_count", "successful_launches", "failed_launches", "attempted_landings",
                    "successful_landings", "failed_landings")),
        Entity(
            "spacecraft_config", path: "spacecraft_configurations", model: "Spacecraft Configuration",
            fields: [
                .text("name"), .ref("type", "spacecraft_config_type"), .ref("agency", "agency"),
                .refs("family", "spacecraft_config_family"), .bool("in_use"), .ref("image", "image"), .text("capability"),
                .text("history"), .text("details"), .date("maiden_flight"), .double("height"), .double("diameter"),
                .bool("human_rated"), .int("crew_capacity"), .int("payload_capacity"), .int("payload_return_capacity"),
                .text("flight_life"), .text("wiki_link"), .text("info_link"),
            ]
                + Field.ints(
                    "spacecraft_flown", "total_launch_count", "successful_launches", "failed_launches", "attempted_landings",
                    "successful_landings", "failed_landings")
                + [.duration("fastest_turnaround")]),
        Entity(
            "spacecraft", path: "spacecraft", model: "Spacecraft",
            fields: [
                .text("name"), .text("serial_number"), .bool("is_placeholder"), .ref("image", "image"), .bool("in_space"),
                .duration("time_in_space"), .duration("time_docked"), .int("flights_count"), .int("mission_ends_count"),
                .ref("status", "spacecraft_status"), .text("description"), .ref("spacecraft_config", "spacecraft_config"),
                .duration("fastest_turnaround"), .children("flights", "spacecraft_flight", via: "spacecraft"),
            ],
            derived: [
                DerivedField("in_space", .boolean), DerivedField("time_in_space", .duration(wholeSeconds: true), ticks: true),
                DerivedField("time_docked", .duration(wholeSeconds: true), ticks: true),
                DerivedField("flights_count", .integer), DerivedField("mission_ends_count", .integer),
                DerivedField("fastest_turnaround", .duration(wholeSeconds: true)),
            ],
            importStamp: ImportStamp(column: "figures_imported_at", keys: ["in_space", "time_in_space", "time_docked"])),
        Entity(
            "launcher_config_family", path: "launcher_configuration_families", model: "Launcher Config Family",
            fields: [
                .text("name"), .refs("manufacturer", "agency"), .ref("parent", "launcher_config_family"), .text("description"),
                .bool("active"), .date("maiden_flight"),
            ]
                + Field.ints(
                    "total_launch_count", "consecutive_successful_launches", "successful_launches", "failed_launches",
                    "pending_launches", "attempted_landings", "successful_landings", "failed_landings",
                    "consecutive_successful_landings")),
        Entity(
            "launcher_config", path: "launcher_configurations", model: "Launcher Configuration",
            fields: [
                .text("name"), .refs("families", "launcher_config_family"), .text("full_name"), .text("variant"),
                .bool("active"), .bool("is_placeholder"), .ref("manufacturer", "agency"), .refs("program", "program"),
                .bool("reusable"), .ref("image", "image"), .text("info_url"), .text("wiki_url"), .text("description"),
                .text("alias"), .int("min_stage"), .int("max_stage"), .double("length"), .double("diameter"),
                .date("maiden_flight"), .int("launch_cost"), .double("launch_mass"), .double("leo_capacity"),
                .double("gto_capacity"), .double("geo_capacity"), .double("sso_capacity"), .double("to_thrust"),
                .double("apogee"),
            ]
                + Field.ints(
                    "total_launch_count", "consecutive_successful_launches", "successful_launches", "failed_launches",
                    "pending_launches", "attempted_landings", "successful_landings", "failed_landings",
                    "consecutive_successful_landings")
                + [.duration("fastest_turnaround")]),
        Entity(
            "rocket", model: "Rocket",
            fields: [
                .ref("configuration", "launcher_config"), .children("launcher_stage", "first_stage", via: "rocket"),
                .children("spacecraft_stage", "spacecraft_flight", via: "rocket"),
                .children("payloads", "payload_flight", via: "rocket"),
            ]),
        Entity(
            "launcher", path: "launchers", model: "Launcher",
            fields: [
                .bool("flight_proven"), .text("serial_number"), .bool("is_placeholder"), .ref("status", "launcher_status"),
                .ref("image", "image"), .text("details"), .int("successful_landings"), .int("attempted_landings"),
                .int("flights"), .dateTime("last_launch_date"), .dateTime("first_launch_date"), .duration("fastest_turnaround"),
                .ref("launcher_config", "launcher_config"),
            ],
            // From the core's stages when the store holds them all (`LauncherStatistics`).
            derived: [
                DerivedField("flights", .integer), DerivedField("first_launch_date", .instant),
                DerivedField("last_launch_date", .instant), DerivedField("attempted_landings", .integer),
                DerivedField("successful_landings", .integer), DerivedField("fastest_turnaround", .duration(wholeSeconds: false)),
            ]),
        Entity(
            "payload", path: "payloads", model: "Payload",
            fields: [
                .text("name"), .ref("type", "payload_type"), .ref("manufacturer", "agency"), .ref("operator", "agency"),
                .ref("image", "image"), .text("wiki_link"), .text("info_link"), .refs("program", "program"), .int("cost"),
                .double("mass"), .text("description"),
                // Not an LL2 key: this payload's flights (the `payloadflight__…` search and ordering paths).
                .children("payloadflight", "payload_flight", via: "payload"),
            ]),
    ]

    static let flights: [Entity] = [
        Entity(
            "spacecraft_flight", path: "spacecraft_flights", model: "Spacecraft Flight",
            fields: [
                .text("destination"), .dateTime("mission_end"), .ref("spacecraft", "spacecraft"), .ref("launch", "launch"),
                .ref("landing", "landing"), .duration("duration"), .duration("turn_around_time"), .embeddedList("launch_crew"),
                .embeddedList("onboard_crew"), .embeddedList("landing_crew"),
                .children("docking_events", "docking_event", via: "flight_vehicle_chaser"),
                // Not an LL2 key: the rocket that carried it (LL2 lists a launch's flights in its rocket).
                .ref("rocket", "rocket"),
            ],
            derived: [
                DerivedField("duration", .duration(wholeSeconds: false), ticks: true),
                DerivedField("turn_around_time", .duration(wholeSeconds: false)),
            ],
            importStamp: ImportStamp(column: "figures_imported_at", keys: ["duration"]),
            inherited: ["launch"], inferred: [InferredReference("rocket", from: "launch", through: "rocket")]),
        Entity(
            "payload_flight", path: "payload_flights", model: "Payload Flight",
            fields: [
                .text("destination"), .int("amount"), .ref("payload", "payload"), .ref("launch", "launch"),
                .ref("landing", "landing"),
                .children("docking_events", "docking_event", via: "payload_flight_chaser"),
                // Not an LL2 key: the rocket that carried it.
                .ref("rocket", "rocket"),
            ],
            inherited: ["launch"], inferred: [InferredReference("rocket", from: "launch", through: "rocket")]),
        Entity(
            "first_stage", model: "First Stage",
            fields: [
                .text("type"), .bool("reused"), .int("launcher_flight_number"), .ref("launcher", "launcher"),
                .dateTime("previous_flight_date"), .duration("turn_around_time"), .ref("landing", "landing"),
                .ref("previous_flight", "launch"),
                // Not LL2 keys: the rocket and launch this stage flew on (LL2 reaches them through the rocket).
                .ref("rocket", "rocket"), .ref("launch", "launch"),
            ],
            inherited: ["launch"], inferred: [InferredReference("rocket", from: "launch", through: "rocket")]),
        Entity(
            "docking_event", path: "docking_events", model: "Docking Event",
            fields: [
                .dateTime("docking"), .dateTime("departure"), .ref("docking_location", "docking_location"),
                .ref("space_station_target", "space_station"), .ref("flight_vehicle_target", "spacecraft_flight"),
                .ref("payload_flight_target", "payload_flight"), .ref("flight_vehicle_chaser", "spacecraft_flight"),
                .ref("space_station_chaser", "space_station"), .ref("payload_flight_chaser", "payload_flight"),
            ]),
        Entity(
            "docking_location", path: "config/docking_locations", model: "Docking Location",
            fields: [
                .text("name"), .ref("spacestation", "space_station"), .ref("spacecraft", "spacecraft_config"),
                .ref("payload", "payload"),
                .children("currently_docked", "docking_event", via: "docking_location", whereNull: "departure"),
            ]),
        Entity(
            "space_station", path: "space_stations", model: "Space Station",
            fields: [
                .text("name"), .ref("image", "image"), .ref("status", "space_station_status"), .date("founded"),
                .date("deorbited"), .text("description"), .text("orbit"), .ref("type", "space_station_type"),
                .refs("owners", "agency"), .embeddedList("active_expeditions"), .double("height"), .double("width"),
                .double("mass"), .int("volume"), .int("onboard_crew"), .int("docked_vehicles"),
                .children("docking_location", "docking_location", via: "spacestation"),
                .children("active_docking_events", "docking_event", via: "space_station_target", whereNull: "departure"),
            ]),
        Entity(
            "landing", path: "landings", model: "Landing",
            fields: [
                .bool("attempt"), .bool("success"), .text("description"), .double("downrange_distance"),
                .ref("landing_location", "landing_location"), .ref("type", "landing_type"),
                .children("firststage", "first_stage", via: "landing"),
                .children("spacecraftflight", "spacecraft_flight", via: "landing"),
                .children("payloadflight", "payload_flight", via: "landing"),
            ]),
    ]

    static let launches: [Entity] = [
        Entity(
            "launch", path: "launches", model: "Launch", identifier: .uuid,
            fields: [
                .text("name"), .text("slug"), .text("launch_designator"), .ref("status", "launch_status"),
                .dateTime("last_updated"), .dateTime("net"), .ref("net_precision", "net_precision"), .dateTime("window_end"),
                .dateTime("window_start"), .ref("image", "image"), .text("infographic"), .int("probability"),
                .text("weather_concerns"), .text("failreason"), .text("hashtag"), .ref("launch_service_provider", "agency"),
                .ref("rocket", "rocket"), .ref("mission", "mission"), .ref("pad", "pad"), .bool("webcast_live"),
                .refs("program", "program"),
            ]
                + Field.ints(
                    "orbital_launch_attempt_count", "location_launch_attempt_count", "pad_launch_attempt_count",
                    "agency_launch_attempt_count", "orbital_launch_attempt_count_year", "location_launch_attempt_count_year",
                    "pad_launch_attempt_count_year", "agency_launch_attempt_count_year")
                + [
                    .text("flightclub_url"), .children("info_urls", "info_url", via: "launch"),
                    .children("vid_urls", "vid_url", via: "launch"), .children("timeline", "timeline_event", via: "launch"),
                    .duration("pad_turnaround"), .refs("mission_patches", "mission_patch"),
                    .children("updates", "update", via: "launch"),
                    // Not LL2 keys: the flights and first stages of this launch (LL2 reaches them through the rocket).
                    .children("spacecraftflight", "spacecraft_flight", via: "launch"),
                    .children("firststage", "first_stage", via: "launch"),
                ]),
        Entity(
            "event", path: "events", model: "Event",
            fields: [
                .text("name"), .children("info_urls", "info_url", via: "event"), .children("vid_urls", "vid_url", via: "event"),
                .ref("image", "image"), .dateTime("date"),
                .text("slug"), .ref("type", "event_type"), .text("description"), .bool("webcast_live"), .text("location"),
                .ref("date_precision", "net_precision"), .text("duration"), .children("updates", "update", via: "event"), .dateTime("last_updated"),
                .refs("agencies", "agency"), .refs("launches", "launch"), .embeddedList("expeditions"),
                .refs("spacestations", "space_station"), .refs("program", "program"), .embeddedList("astronauts"),
            ]),
        Entity(
            "update", path: "updates", model: "Update",
            fields: [
                .text("profile_image"), .text("comment"), .text("info_url"), .text("created_by"), .dateTime("created_on"),
                // Not LL2 keys: what the update is about (LL2 nests updates in launches, events and programs).
                .ref("launch", "launch"), .ref("event", "event"), .ref("program", "program"),
            ]),
        Entity(
            "mission", model: "Mission",
            fields: [
                .text("name"), .text("type"), .text("description"), .ref("image", "image"), .ref("orbit", "orbit"),
                .refs("agencies", "agency"), .children("info_urls", "info_url", via: "mission"),
                .children("vid_urls", "vid_url", via: "mission"),
            ]),
        // Links and timeline entries: LL2 gives them no id; each is known by its place in its owner's list.
        Entity(
            "info_url", model: "Info URL", identifier: .positional,
            fields: [
                .int("priority"), .text("source"), .text("title"), .text("description"), .text("feature_image"), .text("url"),
                .ref("type", "infourl_type"), .ref("language", "language"),
                .ref("launch", "launch"), .ref("event", "event"), .ref("mission", "mission"),
            ]),
        Entity(
            "vid_url", model: "Vid URL", identifier: .positional,
            fields: [
                .int("priority"), .text("source"), .text("publisher"), .text("title"), .text("description"),
                .text("feature_image"), .text("url"), .ref("type", "vidurl_type"), .ref("language", "language"),
                .dateTime("start_time"), .dateTime("end_time"), .bool("live"),
                .ref("launch", "launch"), .ref("event", "event"), .ref("mission", "mission"),
            ]),
        Entity(
            "timeline_event", model: "Timeline Event", identifier: .positional,
            fields: [.ref("type", "timeline_event_type"), .text("relative_time"), .ref("launch", "launch")]),
        Entity(
            "orbit", path: "config/orbits", model: "Orbit",
            fields: [.text("name"), .text("abbrev"), .ref("celestial_body", "celestial_body")]),
    ]

    static let places: [Entity] = [
        Entity(
            "celestial_body", path: "celestial_bodies", model: "Celestial Body",
            fields: [
                .text("name"), .ref("type", "celestial_body_type"), .double("diameter"), .double("mass"), .double("gravity"),
                .text("length_of_day"), .bool("atmosphere"), .ref("image", "image"), .text("description"), .text("wiki_url"),
            ]
                + Field.ints(
                    "total_attempted_launches", "successful_launches", "failed_launches", "total_attempted_landings",
                    "successful_landings", "failed_landings")
                + [.children("locations", "location", via: "celestial_body")]),
        Entity(
            "location", path: "locations", model: "Location",
            fields: [
                .text("name"), .ref("celestial_body", "celestial_body"), .bool("active"), .ref("country", "country"),
                .text("description"), .ref("image", "image"), .text("map_image"), .double("longitude"), .double("latitude"),
                .text("timezone_name"), .int("total_launch_count"), .int("total_landing_count"),
                .children("pads", "pad", via: "location"),
            ]),
        Entity(
            "pad", path: "pads", model: "Pad",
            fields: [
                .bool("active"), .refs("agencies", "agency"), .text("name"), .ref("image", "image"), .text("description"),
                .text("info_url"), .text("wiki_url"), .text("map_url"), .double("latitude"), .double("longitude"),
                .ref("country", "country"), .text("map_image"), .int("total_launch_count"),
                .int("orbital_launch_attempt_count"), .duration("fastest_turnaround"), .ref("location", "location"),
            ]),
        Entity(
            "landing_location", path: "config/landing_locations", model: "Landing Location",
            fields: [
                .text("name"), .bool("active"), .text("abbrev"), .text("description"), .ref("location", "location"),
                .double("longitude"), .double("latitude"), .ref("image", "image"), .int("successful_landings"),
                .int("attempted_landings"), .int("failed_landings"), .ref("celestial_body", "celestial_body"),
            ]),
    ]
}
