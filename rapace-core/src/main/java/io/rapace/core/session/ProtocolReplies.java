package io.rapace.core.session;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.rapace.core.RapaceException;
import io.rapace.transport.shm.Descriptor;

/**
 * Sends the replies the session owes the peer for frames it did not ask for (Unimplemented, Unavailable,
 * Resource-exhausted answers, Pong) from the receive thread, without letting a peer that never drains its
 * ring grow threads or heap: a reply goes at once when the ring has room; otherwise a bounded number
 * ({@value #MAX_DEFERRED}) wait for room on async threads, and beyond that a reply is dropped, counted
 * and reported (at most one warning per second). A peer that floods requests and does not read its
 * answers cannot be answered anyway; what it must never do is take the process down.
 */
final class ProtocolReplies {

    /** Replies that may wait for ring space at once. */
    static final int MAX_DEFERRED = 256;

    private static final System.Logger LOG = System.getLogger(ProtocolReplies.class.getName());

    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final FrameSender sender;

    private final Executor async;

    private final AtomicInteger deferred = new AtomicInteger();

    private final AtomicLong dropped = new AtomicLong();

    /** nanoTime of the last warning; only to rate-limit the log. */
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);

    ProtocolReplies(FrameSender sender, Executor async) {
        this.sender = sender;
        this.async = async;
    }

    /**
     * Sends one reply frame: now if there is room, else later (bounded), else drops it. Never blocks.
     *
     * @param what names the reply in the log, e.g. {@code "UNIMPLEMENTED answer on channel 7"}
     */
    void send(int channelId, int methodId, int flags, byte[] payload, String what) {
        try {
            if (this.sender.trySend(channelId, methodId, flags, Descriptor.NO_DEADLINE, payload)) {
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
                    this.sender.send(channelId, methodId, flags, Descriptor.NO_DEADLINE, payload);
                }
                catch (RapaceException ex) {
                    failed(what, ex);
                }
                finally {
                    this.deferred.decrementAndGet();
                }
            });
        }
        catch (RuntimeException rejected) {
            this.deferred.decrementAndGet();
            drop(what);
        }
    }

    /** Replies dropped because too many were already waiting for room. */
    long dropped() {
        return this.dropped.get();
    }

    private void failed(String what, RapaceException ex) {
        this.dropped.incrementAndGet();
        LOG.log(System.Logger.Level.DEBUG, "could not send the {0}: {1}", what, ex.getMessage());
    }

    private void drop(String what) {
        long count = this.dropped.incrementAndGet();
        long now = System.nanoTime();
        long last = this.lastWarning.get();
        if (now - last >= WARN_INTERVAL_NANOS && this.lastWarning.compareAndSet(last, now)) {
            LOG.log(System.Logger.Level.WARNING, "the peer does not drain its ring: dropped the {0} ({1} replies "
                    + "dropped so far; {2} already waiting for room)", what, count, MAX_DEFERRED);
        }
    }
}
