import PerigeeCore
import Testing

/// The endpoint and shape declarations are checked as a whole, as django-filter checks a FilterSet
/// when its class is made.
@Suite("Declarations")
struct DeclarationTests {
    @Test("every endpoint declaration and the shapes it serves are consistent")
    func declarationsAreConsistent() {
        #expect(Endpoints.problems() == [])
    }

    @Test("shapes of one name must nest alike at every depth; the catalog's paths and the endpoints' agree")
    func namesAndPaths() {
        let inner = Shape("Twin", entity: "spacecraft", mode: "normal", [.responseMode, .id, .object("status", Shapes.idName("spacecraft_status"))])
        let other = Shape(
            "Twin", entity: "spacecraft", mode: "normal",
            [.responseMode, .id, .object("status", Shapes.idNameAbbrevDescription("spacecraft_status"))])
        #expect(inner.members.map(Shape.key(of:)) == other.members.map(Shape.key(of:)), "the same top-level keys")
        #expect(inner.signature != other.signature, "but not the same tree")
        #expect(Endpoints.all.allSatisfy { $0.path == $0.entity.path || ($0.window != nil && $0.path.hasPrefix($0.entity.path! + "/")) })
        let served = Set(Endpoints.all.map(\.entity.name))
        let unserved = Catalog.entities.filter { $0.path != nil && !served.contains($0.name) }.map(\.name)
        #expect(Set(unserved) == Endpoints.notServedYet, "every entity with a path is served, or written down as not yet")
    }

    @Test("the check finds a shape that names a field its entity lacks, or a wrong nested entity")
    func checkFindsBrokenShapes() {
        let broken = Shape(
            "Broken", entity: "spacecraft", mode: "normal",
            [.responseMode, .field("no_such_field"), .object("status", Shapes.image), .list("flights", Shapes.launchMini)])
        #expect(
            broken.problems() == [
                "Broken.no_such_field: no such field", "Broken.status: not a reference to image",
                "Broken.flights: not a list of launch",
            ])
    }
}
