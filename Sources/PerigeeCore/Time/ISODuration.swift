/// ISO 8601 durations as LL2 writes them (Django REST Framework's `duration_iso_string`):
/// `P0D`, `P2DT15H`, `P148DT11H40M37.271204S`, `PT5H` under a day; zero parts are dropped.
/// Stored as whole microseconds so that ordering by a duration is numeric in SQL.
public enum ISODuration {
    /// The LL2 text for a duration of `microseconds`.
    public static func format(microseconds: Int64) -> String {
        var remaining = microseconds
        let sign = remaining < 0 ? "-" : ""
        remaining = abs(remaining)
        let micros = remaining % 1_000_000
        var seconds = remaining / 1_000_000
        let days = seconds / 86_400
        seconds %= 86_400
        let hours = seconds / 3600
        let minutes = seconds / 60 % 60
        seconds %= 60
        var text = sign + "P"
        if days > 0 { text += "\(days)D" }
        if hours == 0 && minutes == 0 && seconds == 0 && micros == 0 {
            return days == 0 ? text + "0D" : text
        }
        text += "T"
        if hours > 0 { text += "\(hours)H" }
        if minutes > 0 { text += "\(minutes)M" }
        if seconds > 0 || micros > 0 {
            text += "\(seconds)"
            if micros > 0 { text += "." + Timestamp.pad(Int(micros), 6) }
            text += "S"
        }
        return text
    }

    /// Parses `P[nD][T[nH][nM][n[.f]S]]` (weeks, months and years are not used by LL2); nil when malformed.
    public static func parse(_ text: String) -> Int64? {
        var chars = Substring(text)
        var negative = false
        if chars.hasPrefix("-") { negative = true; chars = chars.dropFirst() }
        guard chars.hasPrefix("P") else { return nil }
        chars = chars.dropFirst()
        var total: Int64 = 0
        var inTime = false
        var number = ""
        var sawPart = false
        for char in chars {
            if char.isASCII && (char.isNumber || char == ".") {
                number.append(char)
                continue
            }
            if char == "T" {
                guard !inTime, number.isEmpty else { return nil }
                inTime = true
                continue
            }
            guard !number.isEmpty else { return nil }
            let multiplier: Double
            switch (char, inTime) {
            case ("D", false): multiplier = 86_400
            case ("H", true): multiplier = 3600
            case ("M", true): multiplier = 60
            case ("S", true): multiplier = 1
            default: return nil
            }
            if char == "S", let dot = number.firstIndex(of: ".") {
                guard let whole = Int64(number[..<dot]) else { return nil }
                var fraction = String(number[number.index(after: dot)...].prefix(6))
                guard !fraction.isEmpty, fraction.allSatisfy(\.isNumber) else { return nil }
                while fraction.count < 6 { fraction += "0" }
                total += whole * 1_000_000 + (Int64(fraction) ?? 0)
            } else {
                guard let whole = Int64(number) else { return nil }
                total += whole * Int64(multiplier) * 1_000_000
            }
            number = ""
            sawPart = true
        }
        guard number.isEmpty, sawPart else { return nil }
        return negative ? -total : total
    }
}
