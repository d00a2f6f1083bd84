import NIOCore
import NIOHTTPTypes

/// Deadlines on what a client controls after its request head: the rest of the request must arrive
/// within `requestTimeout` of the head, and after a grace of `bodyGrace` at no less than
/// `minimumBodyRate` bytes a second on average (a body dripped a byte every few seconds would
/// otherwise hold the connection, and a place under `--max-connections`, for ever: the idle timeout
/// only covers silence), and a response may wait at most `writeStallTimeout` on a client that reads nothing
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
    /// Bytes a second a body must average once `bodyGrace` has passed; 0 for no minimum.
    private let minimumBodyRate: Int64
    /// How long a body may take before its rate is judged (a slow start, a client's first window).
    static let bodyGrace = TimeAmount.seconds(5)
    private var requestTimer: RepeatedTask?
    private var stallTimer: Scheduled<Void>?
    /// A request's head arrived and its end has not: its timer starts only if a read ends so (most
    /// requests arrive whole in one read and never cost a timer).
    private var awaitingEnd = false
    /// When the head arrived, and the body's bytes since.
    private var headAt = NIODeadline.now()
    private var bodyBytes: Int64 = 0

    init(requestTimeout: Duration, writeStallTimeout: Duration, minimumBodyRate: Int) {
        self.requestTimeout = Self.amount(requestTimeout)
        self.writeStallTimeout = Self.amount(writeStallTimeout)
        self.minimumBodyRate = Int64(max(0, minimumBodyRate))
    }

    static func amount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds.multipliedReportingOverflow(by: 1_000_000_000).partialValue + attoseconds / 1_000_000_000)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            awaitingEnd = true
            headAt = .now()
            bodyBytes = 0
        case .end:
            awaitingEnd = false
            requestTimer?.cancel()
            requestTimer = nil
        case .body(let chunk):
            bodyBytes += Int64(chunk.readableBytes)
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if awaitingEnd, requestTimer == nil {
            // Checked every second while the request is incomplete, on the channel's event loop.
            let channel = context.channel
            let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
            requestTimer = context.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in
                if handler.value.tooSlow(at: .now()) { channel.close(promise: nil) }
            }
        }
        context.fireChannelReadComplete()
    }

    /// Whether the request in progress has run out of time, or its body of rate.
    private func tooSlow(at now: NIODeadline) -> Bool {
        let elapsed = now - headAt
        if elapsed >= requestTimeout { return true }
        guard minimumBodyRate > 0, elapsed > Self.bodyGrace else { return false }
        let judged = (elapsed - Self.bodyGrace).nanoseconds / 1_000_000  // ms
        return bodyBytes.multipliedReportingOverflow(by: 1_000).partialValue < minimumBodyRate.multipliedReportingOverflow(by: judged).partialValue
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
