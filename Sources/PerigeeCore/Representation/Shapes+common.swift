/// The shapes (LL2 serializers) that many others nest: images, lookups, countries, agencies.
/// Key orders follow the seeds where they show the shape, the spec's `properties` elsewhere.
public enum Shapes {
    /// `{id, name}`: the shape of most lookup objects (statuses, types), named like the spec's schema.
    public static func idName(_ entity: String) -> Shape {
        Shape(schemaName(of: entity), entity: entity, [.id, .field("name")])
    }

    /// `{id, name, abbrev, description}`: launch statuses, net precisions, landing types.
    public static func idNameAbbrevDescription(_ entity: String) -> Shape {
        Shape(schemaName(of: entity), entity: entity, [.id, .fields("name", "abbrev", "description")])
    }

    /// `spacecraft_status` → `SpacecraftStatus`.
    static func schemaName(of entity: String) -> String {
        entity.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    public static let imageLicense = Shape("ImageLicense", entity: "image_license", [.id, .fields("name", "priority", "link")])

    public static let imageVariant = Shape(
        "ImageVariant", entity: "image_variant", [.id, .object("type", idName("image_variant_type")), .field("image_url")])

    public static let image = Shape(
        "Image", entity: "image",
        [
            .id, .fields("name", "image_url", "thumbnail_url", "credit"), .object("license", imageLicense),
            .field("single_use"), .list("variants", imageVariant),
        ])

    public static let country = Shape(
        "Country", entity: "country",
        [.id, .fields("name", "alpha_2_code", "alpha_3_code", "nationality_name", "nationality_name_composed")])

    /// LL2's `AgencyMini` schema: an `agency` as its `list` mode shows it.
    public static let agencyMini = Shape(
        "AgencyMini", entity: "agency", mode: "list",
        [.responseMode, .id, .url, .fields("name", "abbrev"), .object("type", idName("agency_type"))])

    static let agencyNormalMembers: Shape.Member = .group([
        .responseMode, .id, .url, .fields("name", "abbrev"), .object("type", idName("agency_type")), .field("featured"),
        .list("country", country),
        .fields("description", "administrator", "founding_year", "launchers", "spacecraft", "parent"),
        .object("image", image), .object("logo", image), .object("social_logo", image),
    ])

    /// LL2's `AgencyNormal` schema: an `agency` as its `normal` mode shows it.
    public static let agencyNormal = Shape("AgencyNormal", entity: "agency", mode: "normal", [agencyNormalMembers])

    /// An agency nested in detailed form (a launch's provider, a family's manufacturer). LL2's serializer
    /// writes `normal` here, unlike the agencies endpoint's own detailed form (NOTES.md, the spec's default).
    public static let agencyDetailed = Shape(
        "AgencyDetailed", entity: "agency", mode: "normal",
        [
            agencyNormalMembers,
            .fields(
                "total_launch_count", "consecutive_successful_launches", "successful_launches", "failed_launches",
                "pending_launches", "consecutive_successful_landings", "successful_landings", "failed_landings",
                "attempted_landings", "successful_landings_spacecraft", "failed_landings_spacecraft",
                "attempted_landings_spacecraft", "successful_landings_payload", "failed_landings_payload",
                "attempted_landings_payload", "info_url", "wiki_url", "social_media_links"),
        ])
}
