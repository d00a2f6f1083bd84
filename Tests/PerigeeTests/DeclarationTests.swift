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
