import PerigeeCore
import PerigeeStore

/// What the synthetic launches carry, added once every launch's date is known: a rocket with a
/// launcher configuration, first-stage cores flown again and again in date order (every fifth launch
/// also has a side booster, expended), a payload flight (one in ten docks at a station), updates and a
/// mission patch. Cores' figures (flights, first and last launch, landings, fastest turnaround) and
/// each stage's flight number, previous flight and turnaround are computed from these records, as LL2
/// computes them. Each launch also gets a mission, to an orbit (`orbits`).
extension SyntheticData {
    /// `launches` with their rockets, updates and mission patches, by launch id.
    func launchSide(
        of launches: [JSONValue], agencies: [JSONValue], stations: [JSONValue], landingLocations: [JSONValue]
    )
        -> [String: [(String, JSONValue)]]
    {
        var random = SplitMix64(seed: seed &+ 15)
        let ordered = launches.compactMap { launch -> (id: String, net: Int64, launch: JSONValue)? in
            guard let id = launch["id"]?.stringValue, let net = launch["net"]?.stringValue.flatMap(Timestamp.init(iso:)) else { return nil }
            return (id, net.microseconds, launch)
        }.sorted { ($0.net, $0.id) < ($1.net, $1.id) }
        let configs = (0..<max(3 * scale, 3)).map { launcherConfig(id: 20_000 + $0, agency: agencies[$0 % agencies.count], random: &random) }
        let patches = (0..<max(4 * scale, 4)).map { index in
            missionPatch(id: 20_000 + index, agency: agencies[index % agencies.count])
        }
        let payloads = (0..<max(8 * scale, 8)).map { index in
            payload(
                id: 20_000 + index, maker: agencies[index % agencies.count], operator: agencies[(index + 1) % agencies.count],
                random: &random)
        }
        // Cores: launch k (in date order) flies core k mod `coreCount`, so each core flies about three times.
        let coreCount = max(ordered.count / 3, 4)
        var coreFlights: [Int: [(launch: Int, net: Int64)]] = [:]
        for (index, launch) in ordered.enumerated() { coreFlights[20_000 + index % coreCount, default: []].append((index, launch.net)) }
        var cores: [Int: JSONValue] = [:]
        for (core, flights) in coreFlights.sorted(by: { $0.key < $1.key }) {  // in order: each draws from `random`
            cores[core] = launcher(id: core, flights: flights.map(\.net), config: configs[core % configs.count], random: &random)
        }
        var result: [String: [(String, JSONValue)]] = [:]
        for (index, launch) in ordered.enumerated() {
            let flown = launch.net < Self.epoch2026
            let core = 20_000 + index % coreCount
            let flights = coreFlights[core] ?? []
            let number = (flights.firstIndex { $0.launch == index } ?? 0) + 1
            let previous = number > 1 ? flights[number - 2] : nil
            var stages = [
                firstStage(
                    id: 20_000 + 2 * index, type: "Core", launcher: cores[core]!, number: number,
                    previous: previous.map { (ordered[$0.launch].launch, $0.net) }, net: launch.net,
                    landing: stageLanding(id: 300_000 + 2 * index, landed: true, flown: flown, at: landingLocations, random: &random))
            ]
            if index % 5 == 0 {
                let booster = launcher(id: 90_000 + index, flights: [launch.net], config: configs[index % configs.count], random: &random)
                stages.append(
                    firstStage(
                        id: 20_000 + 2 * index + 1, type: "Booster", launcher: booster, number: 1, previous: nil, net: launch.net,
                        landing: stageLanding(id: 300_000 + 2 * index + 1, landed: false, flown: flown, at: landingLocations, random: &random)))
            }
            let dockings =
                index % 10 == 0
                ? [
                    docking(
                        id: 200_000 + index, station: stations[index % stations.count], docking: launch.net + 2 * 86_400_000_000,
                        departure: flown ? launch.net + 30 * 86_400_000_000 : nil)
                ] : []
            let payloadFlight: JSONValue = .object([
                ("response_mode", "detailed"), ("id", .int(Int64(20_000 + index))), ("url", url("payload_flights", 20_000 + index)),
                ("destination", .string(random.pick(Self.destinations))), ("amount", .int(Int64(1 + index % 3))),
                ("payload", payloads[index % payloads.count]),
                ("landing", stageLanding(id: 400_000 + index, landed: false, flown: flown, at: landingLocations, random: &random)),
                ("docking_events", .array(dockings)),
            ])
            let rocket: JSONValue = .object([
                ("id", .int(Int64(20_000 + index))), ("configuration", configs[index % configs.count]),
                ("launcher_stage", .array(stages)), ("spacecraft_stage", .array([])), ("payloads", .array([payloadFlight])),
            ])
            let updates = (0..<(index % 3)).map { number -> JSONValue in
                let id = 20_000 + 3 * index + number
                return .object([
                    ("id", .int(Int64(id))), ("profile_image", .string("https://images.example.org/profile/\(id % 7).png")),
                    ("comment", .string(sentence(10, random: &random))), ("info_url", .string("https://example.org/news/\(id)")),
                    ("created_by", .string("curator \(id % 5)")),
                    ("created_on", .string(Timestamp(microseconds: min(launch.net, Self.epoch2026) - Int64(number + 1) * 3_600_000_000).iso8601)),
                ])
            }
            result[launch.id] = [
                ("rocket", rocket), ("updates", .array(updates)), ("info_urls", .array([infoURL(index, random: &random)])),
                ("vid_urls", .array(index % 2 == 0 ? [vidURL(index, start: launch.net, random: &random)] : [])),
                ("timeline", .array(timeline(index))), ("mission_patches", .array([patches[index % patches.count]])),
                ("mission", mission(index)),
            ]
        }
        return result
    }

    /// A launch with its members replaced by `launchSide`'s.
    static func withLaunchSide(_ sides: [String: [(String, JSONValue)]]) -> (JSONValue) -> JSONValue {
        { launch in
            guard case .object(var members) = launch, let id = launch["id"]?.stringValue, let side = sides[id] else { return launch }
            for (key, value) in side {
                if let index = members.firstIndex(where: { $0.0 == key }) { members[index].1 = value } else { members.append((key, value)) }
            }
            return .object(members)
        }
    }

    func launcherConfig(id: Int, agency: JSONValue, random: inout SplitMix64) -> JSONValue {
        let name = "\(random.pick(["Vega", "Kosmos", "Polar", "Aurora"]))-\(id % 100)"
        return .object([
            ("response_mode", "detailed"), ("id", .int(Int64(id))), ("url", url("launcher_configurations", id)),
            ("name", .string(name)), ("families", .array([])), ("full_name", .string(name + " Block 1")), ("variant", "Block 1"),
            ("active", true), ("is_placeholder", false), ("manufacturer", agency), ("program", .array([])), ("reusable", true),
            ("image", .null), ("info_url", .null), ("wiki_url", .null), ("description", .string(sentence(14, random: &random))),
            ("alias", ""), ("min_stage", 2), ("max_stage", 3), ("length", 70.0), ("diameter", 3.7), ("maiden_flight", "2010-06-04"),
            ("launch_cost", .null), ("launch_mass", 549.0), ("leo_capacity", 22800.0), ("gto_capacity", 8300.0),
            ("geo_capacity", .null), ("sso_capacity", .null), ("to_thrust", 7607.0), ("apogee", .null),
        ])
    }

    /// A first-stage core that flew at `flights` (dates); its figures count the flights before 2026-10.
    func launcher(id: Int, flights: [Int64], config: JSONValue, random: inout SplitMix64) -> JSONValue {
        let flown = flights.filter { $0 < Self.epoch2026 }.sorted()
        let gaps = zip(flown.dropFirst(), flown).map { $0 - $1 }
        let configList: JSONValue = .object(
            (config.objectMembers ?? []).filter { ["id", "url", "name", "families", "full_name", "variant"].contains($0.0) }
                + [("response_mode", "list")])
        return .object([
            ("response_mode", "detailed"), ("id", .int(Int64(id))), ("url", url("launchers", id)),
            ("flight_proven", .bool(flown.count > 1)), ("serial_number", .string("B\(id)")), ("is_placeholder", false),
            ("status", .object([("id", 1), ("name", "Active")])), ("image", .null), ("details", .string(sentence(8, random: &random))),
            ("successful_landings", .int(Int64(flown.count))), ("attempted_landings", .int(Int64(flown.count))),
            ("flights", .int(Int64(flown.count))),
            ("last_launch_date", flown.last.map { .string(Timestamp(microseconds: $0).iso8601) } ?? .null),
            ("first_launch_date", flown.first.map { .string(Timestamp(microseconds: $0).iso8601) } ?? .null),
            ("fastest_turnaround", gaps.min().map { .string(ISODuration.format(microseconds: $0)) } ?? .null),
            ("launcher_config", configList),
        ])
    }

    /// A rocket's first stage in LL2's `FirstStageNormal` form. A core's first flight has no previous
    /// flight and no turnaround (null, as LL2 writes for a spacecraft's first flight).
    func firstStage(
        id: Int, type: String, launcher: JSONValue, number: Int, previous: (launch: JSONValue, net: Int64)?, net: Int64,
        landing: JSONValue
    ) -> JSONValue {
        // LL2 nests the core in normal form; the copy keeps its configuration too, so the store has it.
        let normal: JSONValue = .object(
            (launcher.objectMembers ?? []).map { key, value in
                (key, key == "response_mode" ? "normal" : value)
            })
        return .object([
            ("id", .int(Int64(id))), ("type", .string(type)), ("reused", .bool(number > 1)),
            ("launcher_flight_number", .int(Int64(number))), ("launcher", normal),
            ("previous_flight_date", previous.map { .string(Timestamp(microseconds: $0.net).iso8601) } ?? .null),
            ("turn_around_time", previous.map { .string(ISODuration.format(microseconds: net - $0.net)) } ?? .null),
            ("landing", landing),
            (
                "previous_flight",
                previous.map { launch in
                    .object((launch.launch.objectMembers ?? []).filter { ["id", "url", "name"].contains($0.0) })
                } ?? .null
            ),
        ])
    }

    /// A stage's or payload's landing: a landing on a drone ship, or expended (no attempt, no place).
    func stageLanding(id: Int, landed: Bool, flown: Bool, at locations: [JSONValue], random: inout SplitMix64) -> JSONValue {
        let type: JSONValue =
            landed
            ? .object([("id", 2), ("name", "Autonomous Spaceport Drone Ship"), ("abbrev", "ASDS"), ("description", "A drone ship.")])
            : .object([("id", 5), ("name", "Expended"), ("abbrev", "EXP"), ("description", "Not recovered.")])
        let success: JSONValue = landed && flown ? true : .null
        let description: JSONValue = .string(landed ? sentence(6, random: &random) : "Expended.")
        return .object([
            ("id", .int(Int64(id))), ("url", url("landings", id)), ("attempt", .bool(landed)),
            ("success", success), ("description", description),
            ("downrange_distance", landed ? 620.5 : .null), ("landing_location", landed ? locations[id % locations.count] : .null),
            ("type", type),
        ])
    }

    func payload(id: Int, maker: JSONValue, operator: JSONValue, random: inout SplitMix64) -> JSONValue {
        let kind: JSONValue = .object([("id", .int(Int64(1 + id % 3))), ("name", .string(["Satellite", "Cargo", "Probe"][id % 3]))])
        let mass = Double(500 + id % 50 * 40)
        return .object([
            ("response_mode", "detailed"), ("id", .int(Int64(id))), ("name", .string("Payload \(id)")), ("type", kind),
            ("manufacturer", maker), ("operator", `operator`), ("image", .null), ("wiki_link", ""), ("info_link", ""),
            ("program", .array([])), ("cost", .null), ("mass", .double(mass)),
            ("description", .string(sentence(12, random: &random))),
        ])
    }

    static let english: JSONValue = .object([("id", 1), ("name", "English"), ("code", "en")])

    /// A press kit link, in LL2's `InfoURL` form.
    func infoURL(_ index: Int, random: inout SplitMix64) -> JSONValue {
        .object([
            ("priority", 10), ("source", "example.org"), ("title", .string("Press kit \(index)")),
            ("description", .string(sentence(8, random: &random))), ("feature_image", .string("https://images.example.org/kit/\(index).jpg")),
            ("url", .string("https://example.org/press/\(index)")), ("type", .object([("id", 1), ("name", "Official Page")])),
            ("language", Self.english),
        ])
    }

    /// A webcast, in LL2's `VidURL` form.
    func vidURL(_ index: Int, start: Int64, random: inout SplitMix64) -> JSONValue {
        .object([
            ("priority", 10), ("source", "video.example.org"), ("publisher", "Example Launch TV"),
            ("title", .string("Launch webcast \(index)")), ("description", .string(sentence(8, random: &random))),
            ("feature_image", .string("https://images.example.org/cast/\(index).jpg")),
            ("url", .string("https://video.example.org/watch/\(index)")), ("type", .object([("id", 2), ("name", "Official Webcast")])),
            ("language", Self.english), ("start_time", .string(Timestamp(microseconds: start - 1_800_000_000).iso8601)),
            ("end_time", .string(Timestamp(microseconds: start + 3_600_000_000).iso8601)), ("live", false),
        ])
    }

    /// The countdown's milestones, in LL2's `TimelineEvent` form.
    func timeline(_ index: Int) -> [JSONValue] {
        [
            .object([("type", .object([("id", 1), ("abbrev", "Prop"), ("description", "Propellant loading begins.")])), ("relative_time", "-PT35M")]),
            .object([("type", .object([("id", 2), ("abbrev", "Liftoff"), ("description", "Liftoff.")])), ("relative_time", "PT0S")]),
        ]
    }

    /// LL2's orbits a mission goes to: one launch in eight is suborbital (`include_suborbital=false`
    /// leaves it out).
    static let orbits: [(id: Int64, name: String, abbrev: String)] = [
        (8, "Low Earth Orbit", "LEO"), (17, "Sun-Synchronous Orbit", "SSO"), (10, "Geostationary Transfer Orbit", "GTO"),
        (8, "Low Earth Orbit", "LEO"), (15, "Suborbital", "Sub"), (8, "Low Earth Orbit", "LEO"),
        (17, "Sun-Synchronous Orbit", "SSO"), (8, "Low Earth Orbit", "LEO"),
    ]

    /// A launch's mission in LL2's `Mission` form, its orbit around the synthetic planet.
    func mission(_ index: Int) -> JSONValue {
        let orbit = Self.orbits[index % Self.orbits.count]
        let kind = ["Communications", "Earth Science", "Resupply", "Test Flight"][index % 4]
        return .object([
            ("id", .int(Int64(20_000 + index))), ("name", .string("Mission \(20_000 + index)")), ("type", .string(kind)),
            ("description", .string("A \(kind.lowercased()) mission to \(orbit.name.lowercased()).")), ("image", .null),
            (
                "orbit",
                .object([
                    ("id", .int(orbit.id)), ("name", .string(orbit.name)), ("abbrev", .string(orbit.abbrev)),
                    ("celestial_body", .object([("response_mode", "list"), ("id", 10_000), ("name", "Terra")])),
                ])
            ),
            ("agencies", .array([])), ("info_urls", .array([])), ("vid_urls", .array([])),
        ])
    }

    func missionPatch(id: Int, agency: JSONValue) -> JSONValue {
        let mini: JSONValue = .object(
            (agency.objectMembers ?? []).filter { ["id", "url", "name", "abbrev", "type"].contains($0.0) } + [("response_mode", "list")])
        return .object([
            ("id", .int(Int64(id))), ("name", .string("Patch \(id)")), ("priority", .int(Int64(id % 10))),
            ("image_url", .string("https://images.example.org/patch/\(id).png")), ("agency", mini), ("response_mode", "normal"),
        ])
    }
}
