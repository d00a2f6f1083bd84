import Hummingbird

/// The application's responder: puts the request's path in canonical form (`CanonicalPath`), finds
/// its route in the table once and hands it to the router in the context, so the router and every
/// middleware judge the same path and read the same route.
public struct RouteResolver: HTTPResponder {
    let table: RouteTable
    let router: RouterResponder<AppRequestContext>

    public func respond(to request: Request, context: AppRequestContext) async throws -> Response {
        let request = CanonicalPath.normalized(request)
        var context = context
        context.route = table.match(request.uri.path)
        return try await router.respond(to: request, context: context)
    }
}
