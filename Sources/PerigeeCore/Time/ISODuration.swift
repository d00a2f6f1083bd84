/// ISO 8601 durations as LL2 writes them (Django REST Framework's `duration_iso_string`):
/// `P0D`, `P2DT15H`, `P148DT11H40M37.271204S`, `PT5H` under a day; zero parts are dropped.
/// Stored as whole microseconds so that ordering by a duration is numeric in SQL.
public enum ISODuration {
    /// The LL2 text for a duration of `microseconds`.
    public static func format(microseconds: Int64) -> String {
        let sign = microseconds < 0 ? "-" : ""
        let remaining = microseconds.magnitude
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

    /// Parses `P[nD][T[nH][nM][n[.f]S]]` (weeks, months and years are not used by LL2); nil when malformed
    /// or longer than `DataBounds.longestDuration`.
    public static func parse(_ text: String) -> Int64? {
        var chars = Substring(text)
        var negative = false
        if chars.hasPrefix("-") {
            negative = true
            chars = chars.dropFirst()
        }
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
            let unit: Int64
            switch (char, inTime) {
            case ("D", false): unit = 86_400_000_000
            case ("H", true): unit = 3_600_000_000
            case ("M", true): unit = 60_000_000
            case ("S", true): unit = 1_000_000
            default: return nil
            }
            // Checked: a part too large for Int64 microseconds is malformed, never a trap.
            var part: Int64
            if char == "S", let dot = number.firstIndex(of: ".") {
                guard let whole = Int64(number[..<dot]) else { return nil }
                var fraction = String(number[number.index(after: dot)...].prefix(6))
                guard !fraction.isEmpty, fraction.allSatisfy(\.isNumber) else { return nil }
                while fraction.count < 6 { fraction += "0" }
                guard let seconds = try? CheckedMath.multiply(whole, unit), let sum = try? CheckedMath.add(seconds, Int64(fraction) ?? 0)
                else { return nil }
                part = sum
            } else {
                guard let whole = Int64(number), let product = try? CheckedMath.multiply(whole, unit) else { return nil }
                part = product
            }
            guard let sum = try? CheckedMath.add(total, part) else { return nil }
            total = sum
            number = ""
            sawPart = true
        }
        guard number.isEmpty, sawPart, total <= DataBounds.longestDuration else { return nil }
        return negative ? -total : total
    }
}
