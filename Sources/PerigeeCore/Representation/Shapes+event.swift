extension Shapes {
    /// What every event form shows (LL2's `EventEndpointList`); the other forms add to it.
    static let eventListMembers: Shape.Member = .group([
        .id, .url, .field("name"), .list("info_urls", infoURL), .list("vid_urls", vidURL), .object("image", image), .fields("date", "slug"),
        .object("type", idName("event_type")), .fields("description", "webcast_live", "location"),
        .object("date_precision", idNameAbbrevDescription("net_precision")), .responseMode, .field("duration"),
    ])

    /// LL2's `EventEndpointList` schema: an `event` as its `list` mode shows it.
    public static let eventList = Shape("EventEndpointList", entity: "event", mode: "list", [eventListMembers])

    /// LL2's `EventEndpointNormal` schema: an `event` as its `normal` mode shows it.
    public static let eventNormal = Shape(
        "EventEndpointNormal", entity: "event", mode: "normal", [eventListMembers, .list("updates", update), .field("last_updated")])

    /// LL2's `EventEndpointDetailed` schema: an `event` as its `detailed` mode shows it.
    public static let eventDetailed = Shape(
        "EventEndpointDetailed", entity: "event", mode: "detailed",
        [
            eventListMembers, .list("updates", update), .field("last_updated"), .list("agencies", agencyMini), .list("launches", launchBasic),
            .field("expeditions"), .list("spacestations", spaceStationNormal), .list("program", programNormal), .field("astronauts"),
        ])
}
