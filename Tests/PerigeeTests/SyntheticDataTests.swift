import Foundation
import HummingbirdTesting
import PerigeeBenchmark
import PerigeeCore
import PerigeeServer
import PerigeeStore
import Testing

/// The benchmark's synthetic dataset and URL mixes.
@Suite("Synthetic data")
struct SyntheticDataTests {
    @Test("deterministic for a seed, consistent once imported, and the mixes have what they promise")
    func generatedData() async throws {
        let first = SyntheticData(scale: 2, seed: 42).pages()
        #expect(first == SyntheticData(scale: 2, seed: 42).pages())
        #expect(first != SyntheticData(scale: 2, seed: 43).pages())
        try await TestStore.with(.sqlite) { database in
            let importer = Importer(database: database)
            for page in first {
                #expect(try await importer.importText(String(decoding: JSONWriter.compact(page), as: UTF8.self), named: "page").succeeded)
            }
            for (path, page) in SyntheticData(scale: 2, seed: 42).lookupPages() {
                #expect(try await importer.importBody(page, servedAt: path, named: path).succeeded)
            }
            let app = PerigeeServer.buildApplication(PerigeeServer.PerigeeConfiguration(port: 0), database: database)
            try await app.test(.router) { client in
                let all = try await TestApp.get(client, "/2.3.0/spacecraft/?limit=100").json
                #expect(all["count"] == .int(62), "31 spacecraft per unit of scale")
                let inSpace = try await TestApp.get(client, "/2.3.0/spacecraft/?in_space=true").json
                #expect((inSpace["count"].flatMap { if case .int(let n) = $0 { n } else { nil } } ?? 0) > 0, "some craft are up there")
                // The lookups no record refers to are there too, list and detail.
                #expect(try await TestApp.get(client, "/2.3.0/config/road_closure_statuses/").json["count"] == .int(3))
                #expect(try await TestApp.get(client, "/2.3.0/config/notice_types/2/").json["name"] == .string("Notice to Airmen"))
                // A core's figures are computed from its stages: they agree with the launches it flew on,
                // found through another path (the launches' `serial_number` filter, and their dates).
                let cores = try await TestApp.get(client, "/2.3.0/launchers/?mode=normal&limit=100").json["results"]?.arrayElements ?? []
                #expect(cores.count > 20)
                for core in cores.prefix(12) {
                    let serial = core["serial_number"]?.stringValue ?? ""
                    let flown = try await TestApp.get(client, "/2.3.0/launches/?serial_number=\(serial)&ordering=net&mode=list&limit=100").json
                    let nets = (flown["results"]?.arrayElements ?? []).compactMap { $0["net"] }
                    #expect(core["flights"] == flown["count"], "\(serial): flights")
                    #expect(core["first_launch_date"] == nets.first && core["last_launch_date"] == nets.last, "\(serial): first and last")
                }
            }
            let urls = try await BenchmarkURLs(database: database)
            let hot = urls.urls(.hot, count: 500, seed: 7)
            #expect(hot.count == 500 && Set(hot).count == 500)
            #expect(hot == urls.urls(.hot, count: 500, seed: 7))
            let cold = urls.urls(.cold, count: 20_000, seed: 7)
            #expect(Set(cold).count == 20_000)
        }
    }
}
