/// Computes a first-stage core's figures from the stages the store holds (LL2's `/launchers/`: how
/// many times it flew, its first and last launch, its landings, its fastest turnaround), as
/// `FlightStatistics` does for spacecraft. Pure: the store gathers the facts.
///
/// A core's figures are computed when the store holds at least as many of its stages, each with its
/// launch's `net`, as its imported `flights` says (a mirror of all of LL2's launches does); otherwise the
/// imported figures are served, since LL2 knows flights the store does not.
public enum LauncherStatistics {
    /// One flight of a core: a first stage, with its launch's `net` and its landing's outcome.
    public struct Stage: Sendable {
        public var launcher: RecordID
        public var net: Int64?
        public var landingAttempted: Bool
        public var landingSucceeded: Bool

        public init(launcher: RecordID, net: Int64?, landingAttempted: Bool, landingSucceeded: Bool) {
            self.launcher = launcher
            self.net = net
            self.landingAttempted = landingAttempted
            self.landingSucceeded = landingSucceeded
        }
    }

    /// What the store knows of a core: its imported figures, by JSON key.
    public struct Launcher: Sendable {
        public var id: RecordID
        public var imported: [String: StoredValue]

        public init(id: RecordID, imported: [String: StoredValue]) {
            self.id = id
            self.imported = imported
        }
    }

    /// The derived columns of each core, id → column → value. `stages` must hold every stored stage
    /// of the cores given.
    public static func derive(launchers: [Launcher], stages: [Stage]) -> [RecordID: [String: StoredValue]] {
        let entity = Catalog.entity("launcher")!
        let stagesByLauncher = Dictionary(grouping: stages, by: \.launcher)
        var result: [RecordID: [String: StoredValue]] = [:]
        for launcher in launchers {
            let own = stagesByLauncher[launcher.id] ?? []
            let claimed = launcher.imported["flights"]?.integer ?? 0
            var values: [String: StoredValue] = [:]
            if Int64(own.count) >= claimed, !own.isEmpty, own.allSatisfy({ $0.net != nil }) {
                let nets = own.compactMap(\.net).sorted()
                values["flights"] = .integer(Int64(own.count))
                values["first_launch_date"] = .integer(nets.first!)
                values["last_launch_date"] = .integer(nets.last!)
                values["attempted_landings"] = .integer(Int64(own.filter(\.landingAttempted).count))
                values["successful_landings"] = .integer(Int64(own.filter(\.landingSucceeded).count))
                values["fastest_turnaround"] =
                    zip(nets.dropFirst(), nets).compactMap { try? CheckedMath.subtract($0, $1) }.min().map(StoredValue.integer) ?? .null
            } else {
                for field in entity.derived { values[field.key] = launcher.imported[field.key] ?? .null }
            }
            result[launcher.id] = Dictionary(uniqueKeysWithValues: entity.derived.map { ($0.column, values[$0.key] ?? .null) })
        }
        return result
    }
}
