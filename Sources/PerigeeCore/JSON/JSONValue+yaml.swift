extension JSONValue {
    /// The value as YAML in block style. Hand-written rather than a YAML package because the value
    /// is already in hand and only needs writing: every key and string is double-quoted with JSON's
    /// escapes, which YAML reads as the same scalars, so no YAML quoting rules are needed.
    public var yaml: String {
        var out = ""
        Self.writeYAML(self, into: &out, indent: 0)
        return out
    }

    private static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = []
        JSONWriter.writeString(text, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func scalar(_ value: JSONValue) -> String? {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return PythonFloat.repr(number)
        case .string(let text): return quoted(text)
        case .array(let elements) where elements.isEmpty: return "[]"
        case .object(let members) where members.isEmpty: return "{}"
        default: return nil
        }
    }

    private static func writeYAML(_ value: JSONValue, into out: inout String, indent: Int) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .object(let members) where !members.isEmpty:
            for (key, member) in members {
                if let text = scalar(member) {
                    out += "\(pad)\(quoted(key)): \(text)\n"
                } else {
                    out += "\(pad)\(quoted(key)):\n"
                    writeYAML(member, into: &out, indent: indent + 2)
                }
            }
        case .array(let elements) where !elements.isEmpty:
            for element in elements {
                if let text = scalar(element) {
                    out += "\(pad)- \(text)\n"
                } else {
                    // The element's first line follows the dash; the rest align under it.
                    var nested = ""
                    writeYAML(element, into: &nested, indent: indent + 2)
                    out += "\(pad)- " + nested.dropFirst(indent + 2)
                }
            }
        default:
            out += pad + (scalar(value) ?? "null") + "\n"
        }
    }
}
