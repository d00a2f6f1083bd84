import Hummingbird
import PerigeeCore

/// How a browser stays signed in: a browser sends no `Authorization: Token` when it follows a link,
/// so the sign-in page (`SignInRoutes`, DRF's `/api-auth/login/`) starts a session (`BrowserSignIn`:
/// random text, stored hashed, naming the key) and keeps its text in a cookie the browser then sends
/// by itself. The cookie never holds the key: signing out ends the session, revoking the key ends
/// all of its sessions, at every replica on its next request. The cookie is `HttpOnly` (no script of
/// a page reads it), `SameSite=Strict` (no other site's page sends it), `Secure` over HTTPS, and
/// lasts `lifetime`. A write it authenticates must also pass `checkOrigin` (DRF's CSRF check for
/// session authentication), as a browser sends cookies no matter which page asked.
enum BrowserSession {
    static let cookieName = "perigee_session"
    /// How long a sign-in lasts: a working day.
    static let lifetime = 12 * 3600

    /// The session text the request's cookie holds, if it has one (not yet checked).
    static func session(in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == cookieName else { continue }
                let value = parts[1].trimmingCharacters(in: .whitespaces)
                if !value.isEmpty { return value }
            }
        }
        return nil
    }

    /// `Set-Cookie` that signs the browser in with session `text` (hex: nothing to escape).
    static func signIn(_ text: String, origin: String) -> String {
        "\(cookieName)=\(text); Path=/; Max-Age=\(lifetime); HttpOnly; SameSite=Strict" + (origin.hasPrefix("https://") ? "; Secure" : "")
    }

    /// `Set-Cookie` that signs the browser out.
    static func signOut(origin: String) -> String {
        "\(cookieName)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (origin.hasPrefix("https://") ? "; Secure" : "")
    }

    /// Refuses a request that changes something on the strength of the cookie unless a page of this
    /// site sent it: its `Origin` must be Perigee's own (`origin`, as links are written). Browsers
    /// send `Origin` with every `POST`, `PUT`, `PATCH` and `DELETE`; a request without one is not a
    /// page's, and a cookie is a browser's credential. 403 in DRF's words.
    static func checkOrigin(_ request: Request, origin: String) throws(LL2Error) {
        guard let sent = request.headers[.origin] else {
            throw LL2Error(status: .forbidden, body: .object([("detail", "CSRF Failed: Origin checking failed - no Origin header.")]))
        }
        guard sent == origin else {
            throw LL2Error(
                status: .forbidden,
                body: .object([("detail", .string("CSRF Failed: Origin checking failed - \(sent) does not match any trusted origins."))]))
        }
    }

    /// Where to go after signing in or out: a path of this site, never another site (`//host` or
    /// `/\host` would leave it, as would a scheme); the API root otherwise.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"),
            next.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }), next.utf8.count <= 2048
        else { return APIPath.root + "?format=api" }
        return next
    }
}
