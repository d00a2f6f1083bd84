import Hummingbird
import PerigeeStore

/// The context of a curator's write (`POST`, `PUT`, `PATCH`, `DELETE`): it exists only for a caller
/// whose key may write, so a write's code holds the key, never an optional. Made from the request's
/// context by Hummingbird before the write runs: without a key 401, with a browser cookie sent by
/// another site's page 403 (DRF's CSRF check), with a key that may only read 403 — DRF's words.
struct WriterContext: ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    /// The request's own context: origin, client, route, the store version already read.
    let request: AppRequestContext
    /// The key the write is made with (`write` scope).
    let key: APIKey

    init(context: AppRequestContext) throws {
        guard let caller = context.caller, let key = caller.key else {
            throw LL2Error.unauthorized("Authentication credentials were not provided.")
        }
        if let refusal = caller.originRefusal { throw refusal }
        guard key.scope == .write else {
            throw LL2Error(status: .forbidden, body: .object([("detail", "You do not have permission to perform this action.")]))
        }
        coreContext = context.coreContext
        request = context
        self.key = key
    }
}
