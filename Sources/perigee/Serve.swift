import ArgumentParser
import Foundation
import Hummingbird
import Logging
import PerigeeBenchmark
import PerigeeCore
import PerigeeServer
import PerigeeStore
import PerigeeSync
import ServiceLifecycle

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the API (migrates first; a new SQLite store gets the bundled data).",
        discussion: "README.md, section \"Operating Perigee\", explains every option.")

    @Option(help: "Interface to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Option(help: "trace, debug (adds every SQL statement), info, notice, warning, error or critical.")
    var logLevel: String = "info"
    @Option(help: "text or json.") var logFormat: String = "text"
    @Flag(inversion: .prefixedNo, help: "One log line per request.") var accessLog = true
    @Flag(inversion: .prefixedNo, help: "Serve /2.3.0/changes/ and each object's /history/ (they name the keys and files behind each change).")
    var changeFeed = true
    @Option(help: "MiB of whole responses kept in memory.") var responseCacheMib = CacheSizes().responseMiB
    @Option(help: "MiB of objects' JSON kept in memory.") var objectCacheMib = CacheSizes().objectMiB
    @Option(help: "The origin of every link (https://api.example.org), whatever the request's headers say.")
    var publicURL: String?
    @Option(help: "A proxy (address or CIDR) whose X-Forwarded-For/-Proto/-Host are believed; repeatable.")
    var trustedProxy: [String] = []
    @Option(help: "A host name requests may use (exact, .example.org for subdomains, or *); repeatable. Default: loopback names.")
    var allowedHost: [String] = []
    @Option(help: "A browser origin allowed to read the API (CORS); repeatable. Default: any (*).")
    var corsOrigin: [String] = []
    @Option(help: "A browser origin whose pages may write (POST, PUT, PATCH, DELETE) cross-origin; repeatable. Default: none.")
    var corsWriteOrigin: [String] = []
    @Option(help: "Longest request target (path and query), bytes; longer is 414.") var maxURLBytes = ServeLimits().urlBytes
    @Option(help: "Largest request head, bytes; larger is 431.") var maxHeaderBytes = ServeLimits().headerBytes
    @Option(help: "Most header lines; more is 431.") var maxHeaderCount = ServeLimits().headerCount
    @Option(help: "Largest request body on the read API, bytes; larger is 413.") var maxBodyBytes = ServeLimits().bodyBytes
    @Option(help: "Largest body of a curator's write (POST, PUT, PATCH), bytes; larger is 413.")
    var maxWriteBodyBytes = ServeLimits().writeBodyBytes
    @Option(help: "Most search terms in one request.") var maxSearchTerms = QueryLimits().searchTerms
    @Option(help: "Most values in one comma-separated filter.") var maxListValues = QueryLimits().listValues
    @Option(help: "Largest offset.") var maxOffset = QueryLimits().offset
    @Option(help: "Seconds a connection may send nothing (idle, or a request head too slowly) before it is closed.")
    var idleTimeout = 30
    @Option(help: "Seconds a request may take to arrive whole, head to the end of its body; slower clients are disconnected.")
    var requestTimeout = 30
    @Option(help: "Bytes a second a request body must average after its first 5 seconds; slower clients are disconnected (0: no minimum).")
    var minBodyRate = ServeLimits().minimumBodyRate
    @Option(help: "Seconds a response may wait on a client that reads nothing before it is disconnected.") var writeTimeout = 30
    @Option(help: "Most open connections; more are closed at once.") var maxConnections = ServeLimits().connections
    @Option(help: "Most change-feed streams and long polls open at once; more are 503. Default: 1,000 per core.")
    var maxFeedConnections = ServeLimits().feedConnections
    @Option(help: "Seconds one SQL statement may run on PostgreSQL before it is cancelled (503).") var statementTimeout = 10
    @Option(help: "Searches building at once; more wait (then 503).") var concurrentSearches = ServeLimits().concurrentSearches
    @Option(help: "Seconds in-flight requests get to finish after SIGTERM.") var shutdownGrace = 30
    @Option(help: "Limit of callers without a key, per address: N/second|minute|hour|day (LL2's is 15/hour). Default: none.")
    var anonymousRate: String?
    @Option(help: "Keep the store synced from this upstream LL2 (see `perigee sync`), in the background.") var syncFrom: String?
    @Option(help: "Time between sync passes: N s|m|h|d (default 6h).") var syncEvery = "6h"
    @Option(help: "An upstream API key for the background sync.") var syncToken: String?
    @Option(help: "List endpoints the background sync walks, comma-separated.") var syncEndpoints: String?
    @OptionGroup var database: DatabaseOption

    func validate() throws {
        if let syncFrom {
            guard SyncOptions.origin(of: syncFrom) != nil else {
                throw ValidationError("--sync-from must be an http(s) base URL such as https://ll.thespacedevs.com, not '\(syncFrom)'")
            }
            guard let every = Sync.interval(syncEvery), every >= .seconds(10) else {
                throw ValidationError("--sync-every is N s, m, h or d, at least 10 s, not '\(syncEvery)'")
            }
            if let syncEndpoints, case .failure(let unknown) = SyncOptions.endpoints(named: syncEndpoints) {
                throw ValidationError(unknown.description)
            }
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown log level '\(logLevel)'") }
        guard LogFormat(rawValue: logFormat) != nil else { throw ValidationError("--log-format is text or json") }
        guard responseCacheMib >= 1, objectCacheMib >= 1 else { throw ValidationError("cache sizes are at least 1 MiB") }
        for origin in corsWriteOrigin where OriginPolicy.origin(ofPublicURL: origin) != origin {
            throw ValidationError("--cors-write-origin is an origin such as https://app.example.org, not '\(origin)'")
        }
        if let publicURL, OriginPolicy.origin(ofPublicURL: publicURL) == nil {
            throw ValidationError("--public-url must be http(s)://host[:port] with nothing after it, not '\(publicURL)'")
        }
        for proxy in trustedProxy where IPNetwork(proxy) == nil { throw ValidationError("--trusted-proxy '\(proxy)' is not an address or CIDR") }
        let positive = [
            maxURLBytes, maxHeaderBytes, maxHeaderCount, maxSearchTerms, maxListValues, idleTimeout, maxConnections, statementTimeout,
            concurrentSearches, shutdownGrace, maxWriteBodyBytes, requestTimeout, writeTimeout, maxFeedConnections,
        ]
        guard positive.allSatisfy({ $0 > 0 }), maxBodyBytes >= 0, maxOffset >= 0, minBodyRate >= 0 else {
            throw ValidationError("limits must be positive")
        }
        if let anonymousRate, RequestRate(anonymousRate) == nil { throw ValidationError(RequestRate.formatHint(anonymousRate)) }
    }

    func run() async throws {
        var limits = ServeLimits()
        limits.urlBytes = maxURLBytes
        limits.headerBytes = maxHeaderBytes
        limits.headerCount = maxHeaderCount
        limits.bodyBytes = maxBodyBytes
        limits.writeBodyBytes = maxWriteBodyBytes
        limits.query = QueryLimits(searchTerms: maxSearchTerms, listValues: maxListValues, offset: maxOffset)
        limits.idleTimeout = .seconds(idleTimeout)
        limits.connections = maxConnections
        limits.requestTimeout = .seconds(requestTimeout)
        limits.minimumBodyRate = minBodyRate
        limits.writeStallTimeout = .seconds(writeTimeout)
        limits.feedConnections = maxFeedConnections
        limits.statementTimeout = .seconds(statementTimeout)
        limits.concurrentSearches = concurrentSearches
        var hosts = allowedHost
        if hosts.isEmpty {
            hosts = OriginPolicy.loopbackHosts
            if !["0.0.0.0", "::", "127.0.0.1", "localhost", "::1"].contains(host) { hosts.append(host) }
        }
        var configuration = PerigeeConfiguration(
            host: host, port: port, database: try database.location(), logLevel: Logger.Level(rawValue: logLevel) ?? .info,
            cacheSizes: CacheSizes(responseMiB: responseCacheMib, objectMiB: objectCacheMib),
            origins: OriginPolicy(
                publicOrigin: publicURL.flatMap(OriginPolicy.origin(ofPublicURL:)), trustedProxies: trustedProxy.compactMap(IPNetwork.init),
                allowedHosts: hosts),
            corsOrigins: corsOrigin, limits: limits, logFormat: LogFormat(rawValue: logFormat) ?? .text, accessLog: accessLog,
            throttle: ThrottleSettings(anonymousRate: anonymousRate.flatMap(RequestRate.init)))
        configuration.changeFeed = changeFeed
        configuration.corsWriteOrigins = corsWriteOrigin
        if let syncFrom, let origin = SyncOptions.origin(of: syncFrom), let every = Sync.interval(syncEvery) {
            var options = SyncOptions(origin: origin, token: syncToken)
            if let syncEndpoints, case .success(let list) = SyncOptions.endpoints(named: syncEndpoints) { options.endpoints = list }
            configuration.backgroundServices.append { [options] context in
                SyncService(
                    database: context.database, options: options, every: every, logger: context.logger,
                    waitUntilReady: { try await context.waitUntilReady() })
            }
        }
        let logger = makeLogger("perigee", configuration)
        // The cap stays below the descriptors the process may open, with room for the store and
        // the listener: so running out of descriptors is impossible, not merely unlikely.
        let descriptors = FileDescriptors.raiseSoftLimit()
        if descriptors - 128 < limits.connections {
            configuration.limits.connections = max(16, descriptors - 128)
            logger.notice("--max-connections lowered to \(configuration.limits.connections): the process may open \(descriptors) files")
        }
        let app = try await buildApplication(configuration)
        var group = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = .seconds(shutdownGrace)
        logger.notice("perigee \(Perigee.version) serving http://\(host):\(port)\(APIPath.root) from \(configuration.database)")
        try await ServiceGroup(configuration: group).run()
        logger.notice("stopped")
    }
}
