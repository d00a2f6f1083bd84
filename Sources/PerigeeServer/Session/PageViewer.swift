import Hummingbird

/// Who a browsable page is made for, as far as the page shows it: whether the browser is signed in
/// (its header offers "Log out" instead of "Log in") and whether the caller's key may write (the
/// page then carries the raw-data form). Two pages of one URL differ only in these, so they are
/// part of the response cache's key, and a page that shows either is private to its caller.
struct PageViewer: Sendable, Equatable {
    var signedIn = false
    var canWrite = false

    static let anonymous = PageViewer()

    /// The viewer of `request`, once `AuthenticationMiddleware` has identified its caller.
    init(_ request: Request, _ context: AppRequestContext) {
        signedIn = BrowserSession.session(in: request) != nil
        canWrite = context.caller?.key?.scope == .write
    }

    init() {}

    /// Whether a page for this viewer may not be kept by shared caches.
    var isPersonal: Bool { signedIn || canWrite }

    /// What the response cache's key adds for a page made for this viewer.
    var cacheKeyPart: String { (signedIn ? "s" : "-") + (canWrite ? "w" : "-") }
}
