import Hummingbird
import PerigeeCore

/// `GET /2.3.0/api-throttle/`: the caller's limit and use, as LL2 reports them (never counted, and
/// answered to a caller who is over their limit too, so they can learn when to come back).
struct ThrottleStatusRoute: Sendable {
    let ledger: ThrottleLedger
    let clock: PerigeeClock
    /// What is reported as the limit when none applies: the largest 32-bit integer, so that a
    /// client comparing its use with the limit never waits.
    static let noLimit = Int(Int32.max)

    static let report = Endpoints.apiThrottle

    /// `GET` (and `HEAD`): the caller's standing.
    func get(_ request: Request, _ context: AppRequestContext) throws -> Response {
        let report = Self.report
        _ = try ResponseFormat.checked(request)
        let caller = context.caller ?? .anonymous(address: context.client, rate: nil)
        var limit = Self.noLimit
        var period = 3_600
        var used = 0
        var nextUse = 0
        if let rate = caller.rate {
            let standing = ledger.standing(caller.identity, rate: rate, now: clock.now().microseconds)
            (limit, period, used, nextUse) = (rate.requests, rate.seconds, standing.used, standing.nextUse)
        }
        let body = JSONValue.object([
            ("your_request_limit", .int(Int64(limit))), ("limit_frequency_secs", .int(Int64(period))),
            ("current_use", .int(Int64(used))), ("next_use_secs", .int(Int64(nextUse))), ("ident", .string(caller.ident)),
        ])
        var response = try APIResponse(value: body, title: "\(report.title) List", help: report.helpSections)
            .response(from: request, context: context)
        // The answer is the caller's own: no shared cache may keep it.
        response.headers[.cacheControl] = "private, no-store"
        return response
    }

    /// `OPTIONS`: the view as DRF describes it.
    static func describe() -> ViewDescription { ViewDescription(name: "\(report.title) List", report: report) }
}
