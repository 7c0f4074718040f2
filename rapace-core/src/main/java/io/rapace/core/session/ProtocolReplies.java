package io.rapace.core.session;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.rapace.core.RapaceException;
import io.rapace.transport.shm.layout.DescriptorLayout;

/**
 * Sends the replies the session owes the peer for frames it did not ask for (Unimplemented, Unavailable,
 * Resource-exhausted answers, Pong) from the receive thread, without ever blocking it and without letting a
 * peer that never drains its ring grow threads or heap: a reply goes at once when the ring has room;
 * otherwise up to {@value #MAX_DEFERRED} wait for room on async threads ({@link ReplySender}: as long as
 * the peer lives). While that many wait, {@link ServerCalls} takes no new requests (it stops reading), so
 * the only way past the bound is frames read while the session must keep reading for answers to its own
 * calls (see {@code docs/session.md}, "Back-pressure"); such a reply is dropped, counted and reported (at
 * most one warning per second).
 */
final class ProtocolReplies {

    /** Replies that may wait for ring space at once. */
    static final int MAX_DEFERRED = 256;

    /** The logger, made at this class's first log line: a process that logs nothing never sets up the JDK's logging. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(ProtocolReplies.class.getName());
    }

    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ReplySender replies;

    private final Executor async;

    private final Runnable onRoom;

    private final AtomicInteger deferred = new AtomicInteger();

    private final AtomicLong dropped = new AtomicLong();

    /** nanoTime of the last warning; only to rate-limit the log. */
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);

    ProtocolReplies(SessionSender sender, Executor async) {
        this(new ReplySender(sender), async, () -> { });
    }

    /**
     * @param onRoom runs (on an async thread) each time a deferred reply has left: the session may take
     *     requests again
     */
    ProtocolReplies(ReplySender replies, Executor async, Runnable onRoom) {
        this.replies = replies;
        this.async = async;
        this.onRoom = onRoom;
    }

    /**
     * Sends one reply frame: now if there is room, else later (bounded), else drops it. Never blocks.
     *
     * @param what names the reply in the log, e.g. {@code "UNIMPLEMENTED answer on channel 7"}
     */
    void send(int channelId, int methodId, int flags, byte[] payload, String what) {
        try {
            if (this.replies.frames().trySend(channelId, methodId, flags, DescriptorLayout.NO_DEADLINE, payload)) {
                return;
            }
        }
        catch (RapaceException ex) {
            failed(what, ex);
            return;
        }
        if (this.deferred.incrementAndGet() > MAX_DEFERRED) {
            this.deferred.decrementAndGet();
            drop(what);
            return;
        }
        try {
            this.async.execute(() -> {
                try {
                    this.replies.send(channelId, methodId, flags, payload, payload.length, null);
                }
                catch (RapaceException ex) {
                    failed(what, ex);
                }
                finally {
                    this.deferred.decrementAndGet();
                    this.onRoom.run();
                }
            });
        }
        catch (RuntimeException rejected) {
            this.deferred.decrementAndGet();
            drop(what);
        }
    }

    /** Whether {@value #MAX_DEFERRED} replies already wait for room (the session should take no new requests). */
    boolean isFull() {
        return this.deferred.get() >= MAX_DEFERRED;
    }

    /** Replies dropped: too many already waiting for room, or the transport failed (peer died, session closed). */
    long dropped() {
        return this.dropped.get();
    }

    private void failed(String what, RapaceException ex) {
        this.dropped.incrementAndGet();
        Log.LOG.log(System.Logger.Level.DEBUG, "could not send the {0}: {1}", what, ex.getMessage());
    }

    private void drop(String what) {
        long count = this.dropped.incrementAndGet();
        long now = System.nanoTime();
        long last = this.lastWarning.get();
        if (now - last >= WARN_INTERVAL_NANOS && this.lastWarning.compareAndSet(last, now)) {
            Log.LOG.log(System.Logger.Level.WARNING, "the peer does not drain its ring while this session must keep reading"
                    + " for answers to its own calls: dropped the {0} ({1} replies dropped so far; {2} already waiting"
                    + " for room)", what, count, MAX_DEFERRED);
        }
    }
}
