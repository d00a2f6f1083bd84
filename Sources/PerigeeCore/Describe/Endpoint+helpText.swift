/// One section of an endpoint's help block (`Modes`, `Filters`, …), as LL2's browsable page shows it.
public struct HelpSection: Sendable {
    /// One `label - value` line; `link` is the example's path from the root (`/2.3.0/spacecraft/?mode=detailed`), so it
    /// points at the list from a detail page too.
    public struct Line: Sendable {
        public let label: String
        public let value: String
        public let link: String?
    }

    public let title: String
    public let lines: [Line]
}

extension Endpoint {
    /// The help block, derived from the declaration: the sections and lines of LL2's own help, in its
    /// order (`Modes`, `Filters`, `Search`, `Ordering`, `Number of results`, `Format`, `Help`).
    /// - Parameter docsHost: the host shown in the Help line (`lldev.thespacedevs.com`).
    public func helpSections(docsHost: String) -> [HelpSection] {
        var sections: [HelpSection] = []
        func example(_ query: String, label: String = "Example") -> HelpSection.Line {
            HelpSection.Line(label: label, value: "/\(path)/?\(query)", link: APIPath.list(path) + "?\(query)")
        }
        if hasModes, let modeExample {
            sections.append(
                HelpSection(
                    title: "Modes",
                    lines: [
                        .init(label: "Levels of detail in the response", value: modes.map(\.name).joined(separator: ", "), link: nil),
                        example(modeExample),
                    ]))
        }
        // LL2's page lists LL2's parameters; Perigee's own (`last_updated` on every endpoint) are in
        // the OpenAPI document.
        let llFilters = filters.filter { !$0.field.isExtension }
        let llOrdering = orderingFields.filter { !extensionOrdering.contains($0.name) }
        if !llFilters.isEmpty {
            let names = Set(llFilters.map(\.field.name)).sorted()
            var lines = [HelpSection.Line(label: "Parameters", value: names.joined(separator: ", "), link: nil)]
            if let filterExample { lines.append(example(filterExample)) }
            sections.append(HelpSection(title: "Filters", lines: lines))
        }
        if !searchNames.isEmpty {
            var lines = [HelpSection.Line(label: "Fields searched", value: searchNames.sorted().joined(separator: ", "), link: nil)]
            if let searchExample { lines.append(example(searchExample)) }
            sections.append(HelpSection(title: "Search", lines: lines))
        }
        if !llOrdering.isEmpty {
            var lines = [HelpSection.Line(label: "Fields", value: llOrdering.map(\.name).sorted().joined(separator: ", "), link: nil)]
            if let orderingExample { lines.append(example(orderingExample)) }
            sections.append(HelpSection(title: "Ordering", lines: lines))
        }
        sections.append(
            HelpSection(
                title: "Number of results",
                lines: [
                    .init(
                        label: "Use limit to control the number of objects in the response (max \(ListQuery.maximumLimit))", value: "",
                        link: nil),
                    example("limit=2"),
                ]))
        sections.append(HelpSection(title: "Format", lines: [example("format=json", label: "Switch to JSON output")]))
        sections.append(
            HelpSection(
                title: "Help",
                lines: [
                    .init(label: "Find all the FAQs and support links on the documentation homepage", value: "\(docsHost)/docs", link: "/docs")
                ]))
        return sections
    }
}
