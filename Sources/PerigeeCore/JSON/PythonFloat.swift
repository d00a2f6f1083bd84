/// Formats a Double the way Python's `repr` does, which is how LL2 (Django) writes floats:
/// the shortest round-tripping digits, positional notation for exponents -4...15 with at least
/// one fractional digit (`12742000.0`, `9.0`), scientific notation otherwise (`5.972168e+24`).
public enum PythonFloat {
    /// The Python `repr` text of `value`.
    public static func repr(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        let (digits, exponent) = shortestDigits(abs(value))
        let sign = value < 0 ? "-" : ""
        // `exponent` is the position of the decimal point relative to the first digit (d.ddd × 10^exponent).
        if exponent >= -4 && exponent < 16 {
            if exponent < 0 {
                return sign + "0." + String(repeating: "0", count: -exponent - 1) + digits
            }
            let integerCount = exponent + 1
            if digits.count <= integerCount {
                return sign + digits + String(repeating: "0", count: integerCount - digits.count) + ".0"
            }
            let split = digits.index(digits.startIndex, offsetBy: integerCount)
            return sign + digits[..<split] + "." + digits[split...]
        }
        var mantissa = String(digits.prefix(1))
        if digits.count > 1 { mantissa += "." + digits.dropFirst() }
        let exponentSign = exponent < 0 ? "-" : "+"
        let exponentDigits = String(abs(exponent))
        return sign + mantissa + "e" + exponentSign + (exponentDigits.count < 2 ? "0" : "") + exponentDigits
    }

    /// Shortest round-trip significant digits and decimal exponent, read from Swift's own
    /// shortest representation (`description`), which uses the same digit algorithm as Python.
    static func shortestDigits(_ value: Double) -> (digits: String, exponent: Int) {
        let text = value.description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var integerPart = mantissa
        var fractionPart: Substring = ""
        if let dot = mantissa.firstIndex(of: ".") {
            integerPart = mantissa[..<dot]
            fractionPart = mantissa[mantissa.index(after: dot)...]
        }
        var digits = String(integerPart) + fractionPart
        var pointPosition = integerPart.count + exponent  // digits before the decimal point
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        return (digits, pointPosition - 1)
    }
}
