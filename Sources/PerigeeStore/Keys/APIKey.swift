import Crypto
import Foundation
import PerigeeCore

/// An API key as the store keeps it: never the key itself, only its selector (the first
/// `selectorLength` characters, to find the row) and the SHA-256 of the whole key (to check it).
public struct APIKey: Sendable, Equatable {
    /// What a key may do: `read` keys only raise limits; `write` keys will also be able to write
    /// (the curator API, enforced there).
    public enum Scope: String, Sendable, CaseIterable {
        case read, write
    }

    /// The operator's name for it (unique), reported as `ident` and in the change log.
    public let name: String
    /// The key's first `KeyText.selectorLength` characters: how the store finds its row.
    public let selector: String
    /// SHA-256 of the key's text.
    public let secretHash: [UInt8]
    /// The key's own limit; nil means none.
    public let rate: RequestRate?
    public let scope: Scope
    /// When `perigee keys create` made it.
    public let created: Timestamp
    /// When a request last used it, to within `KeyUseRecorder`'s flush interval; nil if never.
    public let lastUsed: Timestamp?

    /// A key as the store keeps it.
    public init(name: String, selector: String, secretHash: [UInt8], rate: RequestRate?, scope: Scope, created: Timestamp, lastUsed: Timestamp?) {
        self.name = name
        self.selector = selector
        self.secretHash = secretHash
        self.rate = rate
        self.scope = scope
        self.created = created
        self.lastUsed = lastUsed
    }

    /// Whether `presented` is this key: its SHA-256 compared with the stored one in constant time
    /// (swift-crypto compares digests with `safeCompare`), so the time taken says nothing of how
    /// much of a guess was right.
    public func matches(_ presented: String) -> Bool {
        SHA256.hash(data: Data(presented.utf8)) == secretHash
    }
}

/// Making and reading key texts. A key is 40 lowercase hex digits, like DRF's tokens (so clients
/// that check LL2's key format accept it): 160 random bits from swift-crypto's key generator, of
/// which the first 32 (8 digits) are the selector the store looks the key up by and the other 128
/// are known only to the key's holder. A fast hash is enough for 128 random bits: there is no
/// dictionary to try, so a slow password hash would only slow every authenticated request.
public enum KeyText {
    /// Characters in a key (hex digits).
    public static let length = 40
    /// Characters of the selector, the key's start.
    public static let selectorLength = 8

    /// A new random key.
    public static func generate() -> String {
        let key = SymmetricKey(size: SymmetricKeySize(bitCount: length * 4))
        return key.withUnsafeBytes { bytes in bytes.map { String(format: "%02x", $0) }.joined() }
    }

    /// The selector of a well-formed key; nil for anything that cannot be a key.
    public static func selector(of text: String) -> String? {
        let utf8 = text.utf8
        guard utf8.count == length, utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
        return String(text.prefix(selectorLength))
    }

    /// SHA-256 of a key's text, as stored.
    public static func hash(_ text: String) -> [UInt8] { Array(SHA256.hash(data: Data(text.utf8))) }
}

/// What `perigee keys` refuses, in one line for the operator.
public struct KeyError: Error, CustomStringConvertible {
    /// The line printed on stderr.
    public let description: String
    /// A refusal saying `description`.
    public init(_ description: String) { self.description = description }
}
