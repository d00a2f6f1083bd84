import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import Synchronization

/// Counts open connections and refuses those over `ServeLimits.connections` by closing them at
/// once, so that no number of idle or slow clients can use up the file descriptors the server needs
/// to answer once load falls. Also answers a request head over the header limits with
/// `431 Request Header Fields Too Large` (Hummingbird answers an empty 400), then closes.
/// One instance per connection, sharing one `ConnectionCount`; it sits after the HTTP codec.
final class ConnectionGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    private let count: ConnectionCount
    private var counted = false

    init(count: ConnectionCount) { self.count = count }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { admit(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        admit(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { release() }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError, case .headerOverflow = parserError else {
            context.fireErrorCaught(error)
            return
        }
        let body = ByteBuffer(string: #"{"detail":"Request header fields too large."}"#)
        let head = HTTPResponse(
            status: .init(code: 431, reasonPhrase: "Request Header Fields Too Large"),
            headerFields: [.contentType: "application/json", .contentLength: String(body.readableBytes), .connection: "close"])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }

    private func admit(context: ChannelHandlerContext) {
        guard !counted else { return }
        counted = true
        if !count.open() {
            context.close(promise: nil)
        }
    }

    private func release() {
        guard counted else { return }
        counted = false
        count.close()
    }
}

/// The open connections of one server, against its cap; reports to the metrics.
final class ConnectionCount: Sendable {
    private let current = Atomic<Int>(0)
    let limit: Int
    let metrics: ServerMetrics

    init(limit: Int, metrics: ServerMetrics) {
        self.limit = limit
        self.metrics = metrics
    }

    /// Counts a new connection; false when it is over the cap (it is still counted until closed).
    func open() -> Bool {
        let now = current.wrappingAdd(1, ordering: .relaxed).newValue
        metrics.openConnections.record(now)
        if now > limit {
            metrics.refusedConnections.increment()
            return false
        }
        return true
    }

    func close() {
        let now = current.wrappingSubtract(1, ordering: .relaxed).newValue
        metrics.openConnections.record(now)
    }
}
