import PerigeeCore
import SQLKit

/// The UTC year, month or day of a stored date-time (microseconds since the epoch), as an integer.
/// One of the few places the dialects differ: SQLite has `strftime`, PostgreSQL `EXTRACT`.
struct DatePart: SQLExpression {
    let format: (sqlite: String, postgres: String)
    let column: any SQLExpression

    init(_ lookup: Lookup, of column: any SQLExpression) {
        switch lookup {
        case .month: format = ("%m", "MONTH")
        case .day: format = ("%d", "DAY")
        default: format = ("%Y", "YEAR")
        }
        self.column = column
    }

    func serialize(to serializer: inout SQLSerializer) {
        if serializer.dialect.name == "postgresql" {
            serializer.write("CAST(EXTRACT(\(format.postgres) FROM to_timestamp(")
            column.serialize(to: &serializer)
            serializer.write(" / 1000000.0) AT TIME ZONE 'UTC') AS BIGINT)")
        } else {
            serializer.write("CAST(strftime('\(format.sqlite)', ")
            column.serialize(to: &serializer)
            serializer.write(" / 1000000, 'unixepoch') AS INTEGER)")
        }
    }
}
