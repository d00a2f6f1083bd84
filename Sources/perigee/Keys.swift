import ArgumentParser
import Foundation
import PerigeeCore
import PerigeeStore

/// `perigee keys`: the store's API keys. The store keeps a hash of each key, never the key, so a
/// key is shown once, when it is made; every replica on the same store honours it at once.
struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, list and revoke API keys (Authorization: Token <key>).",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a key and print it once (stdout); only its hash is stored.")

        @Option(help: "The key's name: 1 to 64 letters, digits, '.', '_', '-' or '@'.") var name: String
        @Option(help: "The key's limit: N/second|minute|hour|day, or 'none'.") var rate = "300/hour"
        @Option(help: "read (raises limits) or write (also curators' writes: the API and the browsable page's form).") var scope = "read"
        @OptionGroup var database: DatabaseOption

        func validate() throws {
            guard rate == "none" || RequestRate(rate) != nil else { throw ValidationError(RequestRate.formatHint(rate)) }
            guard APIKey.Scope(rawValue: scope) != nil else { throw ValidationError("--scope is read or write, not '\(scope)'") }
        }

        func run() async throws {
            let rate = RequestRate(rate)
            let scope = APIKey.Scope(rawValue: scope) ?? .read
            let key = try await database.withStore { store in
                try await store.createKey(name: name, rate: rate, scope: scope, now: PerigeeClock.system.now())
            }
            print(key)
            Diagnostics.line("key '\(name)' created (\(rate?.description ?? "no limit"), \(scope.rawValue)); it is shown only now")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the keys: name, rate, scope, created and last used (never the key).")

        @OptionGroup var database: DatabaseOption

        func run() async throws {
            let keys = try await database.withStore { store in try await store.keys() }
            print(["name", "rate", "scope", "created", "last_used"].joined(separator: "\t"))
            for key in keys {
                print(
                    [key.name, key.rate?.description ?? "none", key.scope.rawValue, key.created.iso8601, key.lastUsed?.iso8601 ?? "never"]
                        .joined(separator: "\t"))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a key: refused from the next request on, at every replica.")

        @Argument(help: "The key's name.") var name: String
        @OptionGroup var database: DatabaseOption

        func run() async throws {
            let revoked = try await database.withStore { store in try await store.revokeKey(name: name) }
            guard revoked else { throw KeyError("no key named '\(name)'") }
            Diagnostics.line("key '\(name)' revoked")
        }
    }
}
