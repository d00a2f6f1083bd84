import SQLKit

/// Django's `contains` (case-sensitive) and `icontains` substring lookups. One of the few places the
/// dialects differ: SQLite spells the position function `instr`, PostgreSQL `strpos`. Case folding
/// uses each database's `lower`, which in SQLite folds ASCII only (search uses folded columns instead).
struct SubstringMatch: SQLExpression {
    let column: any SQLExpression
    let text: String
    let caseSensitive: Bool

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write(serializer.dialect.name == "postgresql" ? "strpos(" : "instr(")
        if caseSensitive {
            column.serialize(to: &serializer)
            serializer.write(", ")
            serializer.write(bind: text)
        } else {
            serializer.write("lower(")
            column.serialize(to: &serializer)
            serializer.write("), lower(")
            serializer.write(bind: text)
            serializer.write(")")
        }
        serializer.write(") > 0")
    }
}
