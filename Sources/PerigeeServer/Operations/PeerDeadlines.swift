import NIOCore
import NIOHTTPTypes

/// Deadlines on what a client controls after its request head: the rest of the request must arrive
/// within `requestTimeout` of the head (a body dripped a byte every few seconds would otherwise hold
/// the connection, and a place under `--max-connections`, for ever: the idle timeout only covers
/// silence), and a response may wait at most `writeStallTimeout` on a client that reads nothing
/// (the socket's buffers full, the channel unwritable): that client is disconnected, whatever the
/// route (a page, an event stream). One instance per connection, after the HTTP codec; hand-written
/// because NIO's `IdleStateHandler` measures silence, not progress.
final class PeerDeadlines: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let requestTimeout: TimeAmount
    private let writeStallTimeout: TimeAmount
    private var requestTimer: Scheduled<Void>?
    private var stallTimer: Scheduled<Void>?
    /// A request's head arrived and its end has not: its timer starts only if a read ends so (most
    /// requests arrive whole in one read and never cost a timer).
    private var awaitingEnd = false

    init(requestTimeout: Duration, writeStallTimeout: Duration) {
        self.requestTimeout = Self.amount(requestTimeout)
        self.writeStallTimeout = Self.amount(writeStallTimeout)
    }

    static func amount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds.multipliedReportingOverflow(by: 1_000_000_000).partialValue + attoseconds / 1_000_000_000)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            awaitingEnd = true
        case .end:
            awaitingEnd = false
            requestTimer?.cancel()
            requestTimer = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if awaitingEnd, requestTimer == nil {
            let channel = context.channel
            requestTimer = context.eventLoop.scheduleTask(in: requestTimeout) { channel.close(promise: nil) }
        }
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            stallTimer?.cancel()
            stallTimer = nil
        } else if stallTimer == nil {
            let channel = context.channel
            stallTimer = context.eventLoop.scheduleTask(in: writeStallTimeout) { channel.close(promise: nil) }
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimers()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { cancelTimers() }

    private func cancelTimers() {
        requestTimer?.cancel()
        stallTimer?.cancel()
        requestTimer = nil
        stallTimer = nil
    }
}
