import Foundation
import PerigeeCore
import PerigeeStore

/// A deterministic synthetic dataset in LL2's own format, `scale` times the size of the seeds, for
/// benchmarks: agencies, configurations with families, spacecraft flown one to six times, launches
/// with pads and locations, landings, stations and docking events, dates spread over 1961–2026 and
/// a few percent of craft still in space, and launches scheduled from late 2026 to the end of 2027
/// (for the upcoming views), and events at the stations tied to launches; every launch carries a rocket
/// with first stages, a payload flight, updates and a mission patch (`SyntheticData+launchSide`). It is written as LL2 list
/// pages (detailed spacecraft flights, the scheduled launches, the events) and goes through the
/// importer, so it lands exactly as real data would.
public struct SyntheticData {
    public let scale: Int
    public let seed: UInt64

    public init(scale: Int, seed: UInt64 = 42) {
        self.scale = max(scale, 1)
        self.seed = seed
    }

    /// The seeds hold 31 spacecraft; flights, launches, landings and dockings follow from them.
    var spacecraftCount: Int { 31 * scale }

    /// List pages of `SpacecraftFlightDetailed` objects, `perPage` flights each.
    public func pages(perPage: Int = 250) -> [JSONValue] {
        var random = SplitMix64(seed: seed)
        var flights: [JSONValue] = []
        let agencies = Self.withParents((0..<max(6 * scale, 6)).map { agency(id: 10_000 + $0, random: &random) })
        let stations = (0..<max(2 * scale, 2)).map { station(id: 10_000 + $0, random: &random) }
        let configs = (0..<max(11 * scale, 11)).map { index in
            config(id: 10_000 + index, agency: agencies[index % agencies.count], random: &random)
        }
        let landingLocations = (0..<max(scale, 2)).map { landingLocation(id: 10_000 + $0, random: &random) }
        var flightID = 100_000
        var launchNumber = 0
        var dockingID = 100_000
        for index in 0..<spacecraftCount {
            let craftID = 100_000 + index
            let config = configs[index % configs.count]
            let flown = random.weighted([1: 60, 2: 18, 3: 10, 4: 6, 5: 4, 6: 2])
            // Spread first launches over 1961…2025; later flights follow with gaps of months to years.
            var start = Self.epoch1961 + Int64(random.next(below: UInt64(Self.span1961to2025)))
            var craftFlights: [(id: Int, net: Int64, end: Int64?)] = []
            for _ in 0..<flown {
                let duration = Int64(random.next(below: 200 * 86_400) + 3600) * 1_000_000
                let stillUp = start > Self.epoch2025 && random.next(below: 100) < 40
                craftFlights.append((flightID, start, stillUp ? nil : start + duration))
                flightID += 1
                start += duration + Int64(random.next(below: 600 * 86_400) + 86_400) * 1_000_000
                if start > Self.epoch2026 || stillUp { break }
            }
            // About one craft in twenty is up there now: its last flight launched in the last year, still open.
            if random.next(below: 100) < 5, let last = craftFlights.popLast() {
                let net = Self.epoch2026 - Int64(random.next(below: 365 * 86_400) + 86_400) * 1_000_000
                craftFlights.append((last.id, max(net, (craftFlights.last?.end ?? 0) + 86_400_000_000), nil))
            }
            let craft = spacecraft(id: craftID, config: config, flights: craftFlights.count, random: &random)
            for flight in craftFlights {
                launchNumber += 1
                var dockings: [JSONValue] = []
                if random.next(below: 100) < 60 {
                    let station = stations[Int(random.next(below: UInt64(stations.count)))]
                    let docked = flight.net + Int64(random.next(below: 3 * 86_400) + 3600) * 1_000_000
                    let departed = flight.end.map { max(docked, $0 - Int64(random.next(below: 86_400)) * 1_000_000) }
                    dockings.append(docking(id: dockingID, station: station, docking: docked, departure: departed))
                    dockingID += 1
                }
                flights.append(
                    .object([
                        ("id", .int(Int64(flight.id))), ("url", url("spacecraft_flights", flight.id)),
                        ("destination", .string(random.pick(Self.destinations))),
                        ("mission_end", flight.end.map { .string(Timestamp(microseconds: $0).iso8601) } ?? .null),
                        ("spacecraft", craft), ("launch", launch(number: launchNumber, net: flight.net, config: config, random: &random)),
                        ("landing", landing(id: flight.id, at: landingLocations, random: &random)), ("response_mode", "detailed"),
                        ("launch_crew", .array([])), ("onboard_crew", .array([])), ("landing_crew", .array([])),
                        ("docking_events", .array(dockings)),
                    ]))
            }
        }
        // Launches still to come, for the upcoming views: 12 per unit of scale, from 2026-10 to the end of 2027
        // (fixed dates, so the same seed gives the same data; as real time passes, they become previous).
        var scheduled = (0..<(12 * scale)).map { index in
            let minute: Int64 = 60_000_000
            let net = (Self.epoch2026 + Int64(index + 1) * (Self.span2026to2028 / Int64(12 * scale + 1))) / minute * minute
            return launch(number: launchNumber + 1 + index, net: net, config: configs[index % configs.count], random: &random, flown: false)
        }
        // Events: dockings and other milestones at the stations, each tied to a launch, from 2025 to 2027.
        let launchesForEvents = flights.compactMap { $0["launch"] }.suffix(4 * scale) + scheduled.prefix(2 * scale)
        let events = launchesForEvents.enumerated().map { index, launch in
            event(
                id: 10_000 + index, launch: launch, station: stations[index % stations.count], agency: agencies[index % agencies.count],
                random: &random)
        }
        let turnarounds = Self.padTurnarounds(of: flights.compactMap { $0["launch"] } + scheduled)
        let sides = launchSide(
            of: flights.compactMap { $0["launch"] } + scheduled, agencies: agencies, stations: stations, landingLocations: landingLocations)
        flights = flights.map { Self.replacing("launch", in: $0, by: { Self.withLaunchSide(sides)(Self.withPadTurnaround(turnarounds)($0)) }) }
        scheduled = scheduled.map { Self.withLaunchSide(sides)(Self.withPadTurnaround(turnarounds)($0)) }
        return stride(from: 0, to: flights.count, by: perPage).map { start in
            let page = Array(flights[start..<min(start + perPage, flights.count)])
            return .object([("count", .int(Int64(flights.count))), ("next", .null), ("previous", .null), ("results", .array(page))])
        }
            + [scheduled, events].map { results in
                .object([("count", .int(Int64(results.count))), ("next", .null), ("previous", .null), ("results", .array(results))])
            }
    }

    /// The `/config/` lookups no generated record refers to, as LL2's list pages of them with the path
    /// each is served at (a first stage's `type` is text in LL2's serializer; notices and road closures
    /// belong to the Starship dashboard; generated images have no variants): so every lookup route the
    /// launch side lists has objects, list and detail.
    public func lookupPages() -> [(path: String, page: JSONValue)] {
        func page(_ objects: [JSONValue]) -> JSONValue {
            .object([("count", .int(Int64(objects.count))), ("next", .null), ("previous", .null), ("results", .array(objects))])
        }
        func named(_ names: [String]) -> [JSONValue] {
            names.enumerated().map { index, name in .object([("id", .int(Int64(index + 1))), ("name", .string(name))]) }
        }
        return [
            (APIPath.list("config/first_stage_types"), page(named(["Core", "Booster", "Unknown"]))),
            (APIPath.list("config/image_variant_types"), page(named(["Thumbnail", "Social", "Background"]))),
            (APIPath.list("config/notice_types"), page(named(["Notice to Mariners", "Notice to Airmen"]))),
            (APIPath.list("config/road_closure_statuses"), page(named(["Closure Scheduled", "Closure Revoked", "Possible Closure"]))),
        ]
    }

    /// Each launch's `pad_turnaround`: the time since the previous launch from its pad. The dataset is a
    /// window of each pad's history (pads report 100 launches), so a pad's first launch here follows one
    /// before the window, a fixed 90 days earlier.
    static func padTurnarounds(of launches: [JSONValue]) -> [String: String] {
        var launchesByPad: [String: [(id: String, net: Int64)]] = [:]
        for launch in launches {
            guard let id = launch["id"]?.stringValue, let pad = launch["pad"]?["url"]?.stringValue,
                let net = launch["net"]?.stringValue.flatMap(Timestamp.init(iso:))
            else { continue }
            launchesByPad[pad, default: []].append((id, net.microseconds))
        }
        var turnarounds: [String: String] = [:]
        for launches in launchesByPad.values {
            var previous: Int64?
            for launch in launches.sorted(by: { ($0.net, $0.id) < ($1.net, $1.id) }) {
                let gap = previous.map { launch.net - $0 } ?? 90 * 86_400 * 1_000_000
                turnarounds[launch.id] = ISODuration.format(microseconds: gap)
                previous = launch.net
            }
        }
        return turnarounds
    }

    /// A launch carrying its `pad_turnaround`.
    static func withPadTurnaround(_ turnarounds: [String: String]) -> (JSONValue) -> JSONValue {
        { launch in
            guard case .object(var members) = launch, let id = launch["id"]?.stringValue, let turnaround = turnarounds[id] else { return launch }
            members.append(("pad_turnaround", .string(turnaround)))
            return .object(members)
        }
    }

    /// `object` with its member `key` changed by `change`.
    static func replacing(_ key: String, in object: JSONValue, by change: (JSONValue) -> JSONValue) -> JSONValue {
        guard case .object(var members) = object, let index = members.firstIndex(where: { $0.0 == key }) else { return object }
        members[index].1 = change(members[index].1)
        return .object(members)
    }

    static let epoch1961 = Timestamp(iso: "1961-04-12T06:07:00Z")!.microseconds
    static let epoch2025 = Timestamp(iso: "2025-06-01T00:00:00Z")!.microseconds
    static let epoch2026 = Timestamp(iso: "2026-10-01T00:00:00Z")!.microseconds
    static let span1961to2025 = epoch2025 - epoch1961
    static let span2026to2028 = Timestamp(iso: "2028-01-01T00:00:00Z")!.microseconds - epoch2026
    static let destinations = ["International Space Station", "Tiangong Space Station", "Low Earth Orbit", "Mir", "Lunar orbit"]
    static let words = [
        "orbital", "crew", "cargo", "module", "docking", "resupply", "capsule", "service", "mission", "station", "vehicle",
        "launch", "recovery", "reentry", "experiment", "payload", "solar", "thermal", "propulsion", "rendezvous", "automated",
        "pressurized", "heat", "shield", "parachute", "splashdown", "program", "agency", "design", "flight",
    ]
    static let craftNames = ["Soyuz", "Progress", "Dragon", "Shenzhou", "Tianzhou", "Cygnus", "Orion", "Starliner", "HTV", "Gaganyaan"]
    static let agencyNames = ["Aerospace", "Space Agency", "Rocket Works", "Orbital Systems", "Launch Services", "Space Corporation"]

    func url(_ path: String, _ id: Int) -> JSONValue { .string("https://example.org" + APIPath.detail(path, id: id)) }

    func sentence(_ count: Int, random: inout SplitMix64) -> String {
        let text = (0..<count).map { _ in random.pick(Self.words) }.joined(separator: " ")
        return text.prefix(1).uppercased() + text.dropFirst() + "."
    }

    func image(id: Int) -> JSONValue {
        .object([
            ("id", .int(Int64(id))), ("name", .string("[AUTO] image \(id)")),
            ("image_url", .string("https://images.example.org/\(id).jpg")),
            ("thumbnail_url", .string("https://images.example.org/\(id)_thumb.jpg")), ("credit", .null),
            ("license", .object([("id", 1), ("name", "Unknown"), ("priority", 9), ("link", .null)])), ("single_use", true),
            ("variants", .array([])),
        ])
    }

    func agency(id: Int, random: inout SplitMix64) -> JSONValue {
        let name = "\(random.pick(["Nova", "Orion", "Zenit", "Polar", "Aurora", "Vega", "Kosmos", "Atlas"])) \(random.pick(Self.agencyNames)) \(id)"
        return .object([
            ("response_mode", "normal"), ("id", .int(Int64(id))), ("url", url("agencies", id)), ("name", .string(name)),
            ("abbrev", .string("A\(id)")), ("type", .object([("id", 1), ("name", "Government")])), ("featured", .bool(id % 3 == 0)),
            (
                "country",
                .array([
                    .object([
                        ("id", 1), ("name", "Utopia"), ("alpha_2_code", "UT"), ("alpha_3_code", "UTO"), ("nationality_name", "Utopian"),
                        ("nationality_name_composed", "Utopian"),
                    ])
                ])
            ),
            ("description", .string(sentence(30, random: &random))), ("administrator", .string("Administrator \(id)")),
            ("founding_year", .int(Int64(1950 + id % 70))), ("launchers", "Rocket"), ("spacecraft", "Capsule"), ("parent", .null),
            ("image", image(id: id)), ("logo", .null), ("social_logo", .null),
        ])
    }

    /// `agencies` with every third one a subsidiary of the one before it: its `parent` is that agency's
    /// name, as LL2 writes it (the launches' `related_lsp__*` filters follow it).
    static func withParents(_ agencies: [JSONValue]) -> [JSONValue] {
        agencies.enumerated().map { index, agency in
            guard index % 3 == 2, case .object(var members) = agency, let parent = agencies[index - 1]["name"],
                let slot = members.firstIndex(where: { $0.0 == "parent" })
            else { return agency }
            members[slot].1 = parent
            return .object(members)
        }
    }

    func config(id: Int, agency: JSONValue, random: inout SplitMix64) -> JSONValue {
        .object([
            ("response_mode", "detailed"), ("id", .int(Int64(id))), ("url", url("spacecraft_configurations", id)),
            ("name", .string("\(random.pick(Self.craftNames)) \(id)")), ("type", .object([("id", 2), ("name", "Capsule")])),
            ("agency", agency), ("family", .array([])), ("in_use", .bool(id % 4 != 0)), ("image", image(id: id)),
            ("capability", .string(sentence(12, random: &random))), ("history", .string(sentence(40, random: &random))),
            ("details", .string(sentence(25, random: &random))), ("maiden_flight", "1990-01-01"), ("height", 7.5),
            ("diameter", 2.7), ("human_rated", .bool(id % 2 == 0)), ("crew_capacity", 3), ("payload_capacity", 2500),
            ("payload_return_capacity", .null), ("flight_life", "up to 180 days"), ("wiki_link", "https://en.wikipedia.org/"),
            ("info_link", ""), ("spacecraft_flown", 10), ("total_launch_count", 10), ("successful_launches", 10),
            ("failed_launches", 0), ("attempted_landings", 8), ("successful_landings", 8), ("failed_landings", 0),
            ("fastest_turnaround", .null),
        ])
    }

    func spacecraft(id: Int, config: JSONValue, flights: Int, random: inout SplitMix64) -> JSONValue {
        let family = config["name"]?.stringValue?.split(separator: " ").first.map(String.init) ?? "Craft"
        return .object([
            ("response_mode", "normal"), ("id", .int(Int64(id))), ("url", url("spacecraft", id)),
            ("name", .string("\(family) \(["MS", "TMA", "C", "SC", "N"][id % 5])-\(id % 1000)")), ("serial_number", .string("SN-\(id)")),
            ("is_placeholder", .bool(id % 50 == 0)), ("image", image(id: 50_000 + id % 40)), ("in_space", false),
            ("time_in_space", "P0D"), ("time_docked", "P0D"), ("flights_count", .int(Int64(flights))), ("mission_ends_count", 0),
            ("status", .object([("id", 1), ("name", "Active")])), ("description", .string(sentence(20, random: &random))),
            ("spacecraft_config", config), ("fastest_turnaround", .null),
        ])
    }

    /// A launch in LL2's format; `flown` false: one still to come (status Go, no webcast yet).
    func launch(number: Int, net: Int64, config: JSONValue, random: inout SplitMix64, flown: Bool = true) -> JSONValue {
        let id = String(format: "00000000-0000-4000-8000-%012d", number)
        let pad = 10_000 + number % max(4 * scale, 4)
        return .object([
            ("id", .string(id)), ("url", .string("https://example.org" + APIPath.detail("launches", id: id))),
            ("name", .string("\(config["name"]?.stringValue ?? "Rocket") | Mission \(number)")), ("response_mode", "normal"),
            ("slug", .string("mission-\(number)")), ("launch_designator", .null),
            (
                "status",
                flown
                    ? .object([("id", 3), ("name", "Launch Successful"), ("abbrev", "Success"), ("description", "Launched.")])
                    : .object([
                        ("id", 1), ("name", "Go for Launch"), ("abbrev", "Go"),
                        ("description", "Current T-0 confirmed by official or reliable sources."),
                    ])
            ),
            // A scheduled launch was last updated when the dataset was made (a fixed instant, for determinism).
            ("last_updated", .string(Timestamp(microseconds: flown ? net : Self.epoch2026).iso8601)),
            ("net", .string(Timestamp(microseconds: net).iso8601)),
            ("net_precision", .null), ("window_end", .string(Timestamp(microseconds: net).iso8601)),
            ("window_start", .string(Timestamp(microseconds: net).iso8601)), ("image", .null), ("infographic", .null),
            ("probability", .null), ("weather_concerns", .null), ("failreason", ""), ("hashtag", .null),
            ("launch_service_provider", config["agency"] ?? .null), ("rocket", .null), ("mission", .null),
            (
                "pad",
                .object([
                    ("id", .int(Int64(pad))), ("url", url("pads", pad)), ("active", true), ("agencies", .array([])),
                    ("name", .string("Launch Complex \(pad)")), ("image", .null),
                    // The same in every copy of the pad: a pad is nested in each of its launches.
                    ("description", .string("Launch complex \(pad) of the synthetic range.")),
                    ("info_url", .null), ("wiki_url", .null), ("map_url", .null), ("latitude", 45.9), ("longitude", 63.3),
                    ("country", .null), ("map_image", .null), ("total_launch_count", 100), ("orbital_launch_attempt_count", 100),
                    ("fastest_turnaround", .null), ("location", .null),
                ])
            ),
            ("webcast_live", false), ("program", .array([])),
        ])
    }

    func landing(id: Int, at locations: [JSONValue], random: inout SplitMix64) -> JSONValue {
        .object([
            ("id", .int(Int64(id))), ("url", url("landings", id)), ("attempt", true), ("success", .bool(random.next(below: 100) < 95)),
            ("description", .string(sentence(8, random: &random))), ("downrange_distance", .null),
            ("landing_location", locations[id % locations.count]),
            ("type", .object([("id", 4), ("name", "Parachute Landing"), ("abbrev", "PCL"), ("description", "Parachutes.")])),
        ])
    }

    /// A recovery zone on a synthetic planet; its landing counts are whatever upstream says (LL2 keeps them).
    func landingLocation(id: Int, random: inout SplitMix64) -> JSONValue {
        .object([
            ("id", .int(Int64(id))), ("name", .string("Recovery Zone \(id)")), ("active", true), ("abbrev", .string("RZ\(id)")),
            ("description", .string(sentence(10, random: &random))), ("location", .null),
            ("longitude", .double(Double(id % 360) - 180.5)), ("latitude", .double(Double(id % 90) + 0.25)), ("image", image(id: id)),
            ("successful_landings", 40), ("attempted_landings", 42), ("failed_landings", 2),
            (
                "celestial_body",
                .object([
                    ("response_mode", "normal"), ("id", 10_000), ("name", "Terra"),
                    ("type", .object([("id", 1), ("name", "Planet")])), ("diameter", 12742000.0), ("mass", 5.972168e+24),
                    ("gravity", 9.80655), ("length_of_day", "1 00:00:00"), ("atmosphere", true), ("image", image(id: 10_000)),
                    ("description", "A synthetic planet."), ("wiki_url", "https://en.wikipedia.org/wiki/Earth"),
                    // The detailed form's totals (LL2 keeps them; a copy in normal form simply has more keys).
                    ("total_attempted_launches", 7120), ("successful_launches", 6750), ("failed_launches", 370),
                    ("total_attempted_landings", 980), ("successful_landings", 930), ("failed_landings", 50),
                ])
            ),
        ])
    }

    /// An event at a station a day after `launch` (a docking, or another milestone), in LL2's detailed form.
    func event(id: Int, launch: JSONValue, station: JSONValue, agency: JSONValue, random: inout SplitMix64) -> JSONValue {
        let net = launch["net"]?.stringValue.flatMap(Timestamp.init(iso:))?.microseconds ?? Self.epoch2026
        let kind = random.pick([(2, "Docking"), (4, "Spacewalk"), (7, "Press Event")])
        let date = net + 86_400 * 1_000_000
        let basic: JSONValue = .object(
            (launch.objectMembers ?? []).filter {
                [
                    "id", "url", "name", "slug", "launch_designator", "status", "last_updated", "net",
                    "net_precision", "window_end", "window_start", "image", "infographic",
                ].contains($0.0)
            }
                + [("response_mode", "list")])
        return .object([
            ("id", .int(Int64(id))), ("url", url("events", id)), ("name", .string("\(kind.1) \(id)")),
            ("info_urls", .array([infoURL(id, random: &random)])), ("vid_urls", .array([vidURL(id, start: date, random: &random)])),
            ("image", image(id: 20_000 + id % 40)),
            ("date", .string(Timestamp(microseconds: date).iso8601)), ("slug", .string("event-\(id)")),
            ("type", .object([("id", .int(Int64(kind.0))), ("name", .string(kind.1))])),
            ("description", .string(sentence(16, random: &random))), ("webcast_live", false),
            ("location", .string(station["name"]?.stringValue ?? "Station")),
            ("date_precision", .object([("id", 1), ("name", "Minute"), ("abbrev", "MIN"), ("description", "The T-0 is accurate to the minute.")])),
            ("response_mode", "detailed"), ("duration", "PT1H"), ("updates", .array([])),
            ("last_updated", .string(Timestamp(microseconds: min(date, Self.epoch2026)).iso8601)),
            ("agencies", .array([agency])), ("launches", .array([basic])), ("expeditions", .array([])),
            ("spacestations", .array([station])), ("program", .array([])), ("astronauts", .array([])),
        ])
    }

    func station(id: Int, random: inout SplitMix64) -> JSONValue {
        .object([
            ("id", .int(Int64(id))), ("url", url("space_stations", id)), ("name", .string("Station \(id)")), ("image", .null),
            ("status", .object([("id", 1), ("name", "Active")])), ("founded", "1998-11-20"), ("deorbited", .null),
            ("description", .string(sentence(15, random: &random))), ("orbit", "Low Earth Orbit"),
            ("type", .object([("id", 1), ("name", "Government")])),
        ])
    }

    func docking(id: Int, station: JSONValue, docking: Int64, departure: Int64?) -> JSONValue {
        var stationID = 0
        if case .int(let value)? = station["id"] { stationID = Int(value) }
        return .object([
            ("id", .int(Int64(id))), ("url", url("docking_events", id)), ("docking", .string(Timestamp(microseconds: docking).iso8601)),
            ("departure", departure.map { .string(Timestamp(microseconds: $0).iso8601) } ?? .null),
            (
                "docking_location",
                .object([
                    ("id", .int(Int64(stationID * 10 + id % 4))), ("name", .string("Port \(id % 4)")), ("spacestation", station),
                    ("spacecraft", .null), ("payload", .null),
                ])
            ),
            ("space_station_target", station), ("flight_vehicle_target", .null), ("payload_flight_target", .null),
        ])
    }
}
