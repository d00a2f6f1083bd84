/// A URL query string as an ordered list of decoded pairs (repeated keys kept), with DRF's
/// rules for rebuilding it in pagination links.
public struct QueryParameters: Sendable {
    public private(set) var pairs: [(key: String, value: String)]

    public init(pairs: [(key: String, value: String)]) { self.pairs = pairs }

    /// Parses `a=1&b=x%20y`; `+` is a space; pairs without `=` get an empty value; bad escapes stay as written.
    public init(query: String) {
        pairs = query.split(separator: "&", omittingEmptySubsequences: true).map { part in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(String(pieces[0]))
            let value = pieces.count > 1 ? Self.decode(String(pieces[1])) : ""
            return (key, value)
        }
    }

    /// The last value of `key` (Django's `QueryDict.get`), if present.
    public func value(_ key: String) -> String? { pairs.last { $0.key == key }?.value }

    /// With `key` set to `value` alone.
    public func replacing(_ key: String, with value: String) -> QueryParameters {
        var copy = removing(key)
        copy.pairs.append((key, value))
        return copy
    }

    /// Without `key`.
    public func removing(_ key: String) -> QueryParameters {
        QueryParameters(pairs: pairs.filter { $0.key != key })
    }

    /// `a=1&b=2`, sorted by key (stable for repeated keys), percent-encoded with spaces as `%20`.
    public var encodedSorted: String {
        pairs.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }
            .map { Self.encode($0.element.key) + "=" + Self.encode($0.element.value) }.joined(separator: "&")
    }

    static func decode(_ text: String) -> String {
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else if byte == UInt8(ascii: "%"), index + 2 < utf8.count,
                let high = hex(utf8[index + 1]), let low = hex(utf8[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 2
            } else {
                bytes.append(byte)
            }
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Percent-encodes all but unreserved characters (spaces as `%20`).
    public static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF")
                out += "%" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
            }
        }
        return out
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }
}
