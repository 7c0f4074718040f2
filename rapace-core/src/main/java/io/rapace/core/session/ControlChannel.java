package io.rapace.core.session;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.transport.shm.Frame;
import io.rapace.transport.shm.FrameFlags;
import io.rapace.transport.shm.layout.DescriptorLayout;

/**
 * Channel 0: answers Ping with Pong (echoing the 8-byte payload, flags {@code CONTROL|EOS} as the Rust
 * reference's tests do), matches Pongs to our own pings, routes CancelChannel to the server calls, and
 * ignores every other verb.
 */
final class ControlChannel {

    /** The logger, made at this class's first log line: a process that logs nothing never sets up the JDK's logging. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(ControlChannel.class.getName());
    }

    private final SessionSender sender;

    private final ServerCalls serverCalls;

    private final Executor callbacks;

    private final ScheduledExecutorService deadlines;

    private final SessionStatus status;

    private final ConcurrentHashMap<Long, PendingPing> pings = new ConcurrentHashMap<>();

    /** A ping waiting for its Pong. */
    private record PendingPing(CompletableFuture<Duration> future, long sentNanos) {
    }

    private final AtomicLong pingIds = new AtomicLong();

    ControlChannel(SessionSender sender, ServerCalls serverCalls, Executor callbacks,
            ScheduledExecutorService deadlines, SessionStatus status) {
        this.sender = sender;
        this.serverCalls = serverCalls;
        this.callbacks = callbacks;
        this.deadlines = deadlines;
        this.status = status;
    }

    /** A frame on channel 0. Runs on the thread reading the ring: never blocks (replies only what fits now). */
    void onFrame(Frame frame) {
        int verb = frame.methodId();
        if (verb == ControlVerbs.PING && frame.hasFlag(FrameFlags.CONTROL)) {
            this.serverCalls.replies().send(0, ControlVerbs.PONG, FrameFlags.CONTROL | FrameFlags.EOS, frame.payloadBytes(),
                    "Pong");
        }
        else if (verb == ControlVerbs.PONG && frame.payloadLength() == ControlVerbs.PING_PAYLOAD_LENGTH) {
            long id = ByteBuffer.wrap(frame.payloadBytes()).order(ByteOrder.LITTLE_ENDIAN).getLong();
            PendingPing waiting = this.pings.remove(id);
            if (waiting != null) {
                Duration roundTrip = Duration.ofNanos(System.nanoTime() - waiting.sentNanos());
                this.callbacks.execute(() -> waiting.future().complete(roundTrip));
            }
        }
        else if (verb == ControlVerbs.CANCEL_CHANNEL) {
            Integer channel = ControlVerbs.decodeCancelChannel(frame.payloadBytes());
            if (channel != null) {
                this.serverCalls.cancel(channel);
            }
        }
        else {
            Log.LOG.log(System.Logger.Level.DEBUG, "ignored control frame: verb {0}, flags 0x{1}, {2} payload bytes",
                    Integer.toUnsignedString(verb), Integer.toHexString(frame.flags()), frame.payloadLength());
        }
    }

    /** Sends a Ping carrying a fresh id; completes with the round-trip time when the matching Pong arrives. */
    CompletableFuture<Duration> ping(Duration timeout) {
        CompletableFuture<Duration> future = new CompletableFuture<>();
        RapaceException rejected = this.status.rejection();
        if (rejected != null) {
            future.completeExceptionally(rejected);
            return future;
        }
        long id = this.pingIds.incrementAndGet();
        PendingPing ping = new PendingPing(future, System.nanoTime());
        this.pings.put(id, ping);
        try {
            this.deadlines.schedule(() -> fail(id, new RapaceException(ErrorCode.DEADLINE_EXCEEDED,
                    "no Pong within " + timeout.toMillis() + " ms")), timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (RejectedExecutionException ended) {
            fail(id, new RapaceException(ErrorCode.SESSION_CLOSED, this.status.description() + " is closed"));
            return future;
        }
        byte[] payload = ByteBuffer.allocate(ControlVerbs.PING_PAYLOAD_LENGTH).order(ByteOrder.LITTLE_ENDIAN).putLong(id).array();
        try {
            this.sender.send(0, ControlVerbs.PING, FrameFlags.CONTROL | FrameFlags.EOS, DescriptorLayout.NO_DEADLINE, payload);
        }
        catch (RapaceException ex) {
            fail(id, ex);
        }
        return future;
    }

    /** Whether pings of ours wait for their Pong (the reader must keep reading for them). */
    boolean hasPendingPings() {
        return !this.pings.isEmpty();
    }

    /** Fails every ping still waiting (close, peer death). */
    void failAll(RapaceException failure) {
        for (Long id : this.pings.keySet()) {
            fail(id, failure);
        }
    }

    private void fail(long id, RapaceException failure) {
        PendingPing ping = this.pings.remove(id);
        if (ping != null) {
            this.callbacks.execute(() -> ping.future().completeExceptionally(failure));
        }
    }
}
