import SQLKit

/// `column LIKE '%term%' ESCAPE '\'` with the pattern bound, for search on a case-folded column.
/// Plain LIKE is case-sensitive in PostgreSQL and ASCII-folding in SQLite; on folded text with a
/// folded term both agree, so this one expression serves both databases.
struct FoldedContains: SQLExpression {
    let column: any SQLExpression
    /// Already folded; wildcards are escaped here.
    let term: String

    func serialize(to serializer: inout SQLSerializer) {
        column.serialize(to: &serializer)
        serializer.write(" LIKE ")
        serializer.write(bind: "%" + Self.escapeLike(term) + "%")
        serializer.write(" ESCAPE '\\'")
    }

    /// Escapes LIKE's wildcards so a term matches literally.
    static func escapeLike(_ term: String) -> String {
        var out = ""
        for character in term {
            if character == "\\" || character == "%" || character == "_" { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
