import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import PerigeeCore
import PerigeeStore

/// DRF's `/api-auth/login/` and `/api-auth/logout/` for Perigee's keys: a browser signs in by giving
/// a key once, which starts a session (`BrowserSession`: its cookie holds the session, never the key),
/// so that the browsable page knows who is looking and shows a writer the raw-data form; signing out
/// ends the session. The form posts back here only (the pages'
/// `form-action 'self'`); a sign-in sent from another site's page is refused, so no site can sign a
/// visitor into a key of its own choosing.
struct SignInRoutes: Sendable {
    let keys: KeyRing
    let database: Database
    /// How long checking a key may take.
    let deadline: Duration
    let clock: PerigeeClock
    /// Sign-in attempts per client (address, as the throttle counts it): a key is 160 random bits,
    /// so this guards the store's key checks, not the keys.
    let attempts = ThrottleLedger(reports: false)
    static let attemptRate = RequestRate("10/minute")!

    static let loginPath = "/api-auth/login/"
    static let logoutPath = "/api-auth/logout/"
    /// The largest form these routes read: a key and a path to return to.
    static let formBytes = 4096

    static let template: MustacheTemplate = {
        let url = Bundle.module.url(forResource: "Templates/signin", withExtension: "mustache")!
        return try! MustacheTemplate(string: String(contentsOf: url, encoding: .utf8))
    }()

    /// `GET /api-auth/login/`: the sign-in page.
    static func signInPage(_ request: Request) -> Response {
        page(.ok, next: QueryParameters(query: request.uri.query ?? "").value("next"), error: nil)
    }

    /// `POST /api-auth/logout/`: ends the browser's session.
    func signOut(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        // Another site's page must not sign a visitor out either.
        if Self.isCrossSite(request, context) {
            throw LL2Error(status: .forbidden, body: .object([("detail", "CSRF Failed: Origin checking failed.")]))
        }
        let form = try await Self.form(request)
        if let session = BrowserSession.session(in: request) {
            try await withDeadline(deadline) { [database] in try await database.endSession(session) }
        }
        return Self.redirect(to: BrowserSession.safeNext(form.value("next")), cookie: BrowserSession.signOut(origin: context.origin))
    }

    /// Whether a page of another site sent the request (its `Origin` is not Perigee's, or the browser
    /// says `Sec-Fetch-Site: cross-site`).
    static func isCrossSite(_ request: Request, _ context: AppRequestContext) -> Bool {
        let fromElsewhere = request.headers[.origin].map { $0 != context.origin } ?? false
        return fromElsewhere || request.headers[.secFetchSite] == "cross-site"
    }

    /// `POST /api-auth/login/`: starts a session for a valid key.
    func signIn(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if Self.isCrossSite(request, context) {
            return Self.page(.forbidden, next: nil, error: "This form was sent from another site's page; open this page and sign in here.")
        }
        let identity = "sign-in:" + Caller.rationedPart(of: context.client)
        if case .throttled(let wait) = attempts.admit(identity, rate: Self.attemptRate, now: clock.now().microseconds) {
            throw LL2Error.throttled(wait: wait)
        }
        let form = try await Self.form(request)
        let next = BrowserSession.safeNext(form.value("next"))
        let text = (form.value("key") ?? "").trimmingCharacters(in: .whitespaces)
        let key = try await withDeadline(deadline) { [keys, database] in try await keys.key(text, version: database.version()) }
        guard let key else {
            return Self.page(.badRequest, next: next, error: "That is not a key of this Perigee (or it was revoked).")
        }
        let now = clock.now()
        let expires = Timestamp(microseconds: now.microseconds + Int64(BrowserSession.lifetime) * 1_000_000)
        let session = try await withDeadline(deadline) { [database, key] in
            try await database.createSession(keyName: key.name, now: now, expires: expires)
        }
        return Self.redirect(to: next, cookie: BrowserSession.signIn(session, origin: context.origin))
    }

    /// The posted form (`application/x-www-form-urlencoded`, at most `formBytes`; the middleware
    /// already refused a larger declared length).
    private static func form(_ request: Request) async throws -> QueryParameters {
        let body = try await RequestBody.collect(request, rule: .form(limit: formBytes))
        return QueryParameters(query: String(decoding: body.readableBytesView, as: UTF8.self))
    }

    /// The sign-in page; `error` says why the last attempt failed.
    private static func page(_ status: HTTPResponse.Status, next: String?, error: String?) -> Response {
        var context: [String: Any] = ["next": BrowserSession.safeNext(next)]
        if let error { context["error"] = error }
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: template.render(context))))
    }

    /// `303 See Other` to `next`, setting the cookie (the browser then asks for `next` with `GET`).
    private static func redirect(to next: String, cookie: String) -> Response {
        Response(status: .seeOther, headers: [.location: next, .setCookie: cookie, .cacheControl: "no-store"])
    }
}

extension HTTPField.Name {
    static let secFetchSite = Self("Sec-Fetch-Site")!
}
