import Foundation

/// The entity tags of objects curators may write: `"r<revision>.<body hash>"`. The body hash keeps
/// the tag a strong validator of the representation (for `If-None-Match`); the revision, the number
/// of the object's latest change (`Database.revision`), is what `If-Match` compares, so a craft's
/// ticking `time_in_space` does not make every copy a client read stale.
enum RevisionTag {
    /// The tag of a body whose plain tag is `bodyTag` (quoted), for an object at `revision`.
    static func tag(revision: Int64, bodyTag: String) -> String {
        let hash = bodyTag.hasPrefix("\"") && bodyTag.hasSuffix("\"") ? String(bodyTag.dropFirst().dropLast()) : bodyTag
        return "\"r\(revision).\(hash)\""
    }

    /// What an `If-Match` header asks for: any current object (`*`), or one of the revisions its
    /// tags name. A weak tag or one Perigee did not make names no revision (RFC 9110 compares
    /// `If-Match` strongly), so a header of only such tags can never match.
    enum Condition: Equatable {
        case any
        case revisions(Set<Int64>)
    }

    static func condition(ifMatch header: String) -> Condition {
        var revisions: Set<Int64> = []
        for part in header.split(separator: ",") {
            let tag = part.trimmingCharacters(in: .whitespaces)
            if tag == "*" { return .any }
            guard tag.hasPrefix("\"r"), tag.hasSuffix("\""), let dot = tag.firstIndex(of: ".") else { continue }
            if let revision = Int64(tag[tag.index(tag.startIndex, offsetBy: 2)..<dot]) { revisions.insert(revision) }
        }
        return .revisions(revisions)
    }
}
