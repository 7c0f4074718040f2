package io.rapace.core.session;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.transport.shm.layout.DescriptorLayout;
import org.jspecify.annotations.Nullable;

/**
 * Sends the frames a server owes its callers (responses, stream items, stream ends, errors, protocol
 * answers) and never gives one up for lack of room: while the ring is full or no slot is free it waits, for
 * as long as the peer lives and the session is open. A reply stops waiting only when the transport fails
 * (peer died, transport closed), the waiting thread is interrupted (session closing), or its call was
 * cancelled (then nothing is owed any more).
 *
 * <p>Waiting costs next to nothing: a reply that finds no room queues on a fair lock, and only the thread at
 * the head of the queue polls the transport (with its idle strategy, parking up to a millisecond or so);
 * the others are parked. So a thousand replies backed up cost one polling thread, not a thousand, and they
 * leave in the order they queued once the peer reads again.
 */
final class ReplySender {

    /** How long the polling waiter waits inside one transport send before it checks whether the reply is still owed. */
    static final long TURN_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    /** How long a queued waiter parks before it checks whether its reply is still owed. */
    private static final long QUEUE_TURN_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final SessionSender sender;

    /** Fair: replies that waited longest go first; held only by the one waiter polling the transport. */
    private final ReentrantLock room = new ReentrantLock(true);

    private final AtomicInteger waiting = new AtomicInteger();

    ReplySender(SessionSender sender) {
        this.sender = sender;
    }

    /** The underlying sender. */
    SessionSender frames() {
        return this.sender;
    }

    /** Replies waiting for room right now. */
    int waiting() {
        return this.waiting.get();
    }

    /**
     * Sends one reply frame, waiting for room as long as it takes.
     *
     * @param owner the call the reply belongs to (it is no longer owed once the call is cancelled), or null
     * @return true when sent; false when {@code owner} was cancelled first (nothing was sent)
     * @throws RapaceException when the transport fails ({@code PEER_DIED}, {@code SESSION_CLOSED}, a payload too
     *     large) or the thread is interrupted while waiting ({@code UNAVAILABLE})
     */
    boolean send(int channelId, int methodId, int flags, byte[] payload, int length, @Nullable InboundCall owner) {
        if (this.sender.sendWithin(channelId, methodId, flags, DescriptorLayout.NO_DEADLINE, payload, length, 0)) {
            return true;
        }
        this.waiting.incrementAndGet();
        try {
            while (true) {
                if (owner != null && owner.isCancelled()) {
                    return false;
                }
                if (!tryTurn(channelId)) {
                    continue;
                }
                try {
                    while (!this.sender.sendWithin(channelId, methodId, flags, DescriptorLayout.NO_DEADLINE, payload, length,
                            TURN_NANOS)) {
                        if (owner != null && owner.isCancelled()) {
                            return false;
                        }
                    }
                    return true;
                }
                finally {
                    this.room.unlock();
                }
            }
        }
        finally {
            this.waiting.decrementAndGet();
        }
    }

    private boolean tryTurn(int channelId) {
        try {
            return this.room.tryLock(QUEUE_TURN_NANOS, TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new RapaceException(ErrorCode.UNAVAILABLE, "interrupted while the reply on channel "
                    + Integer.toUnsignedString(channelId) + " waited for ring space (session closing)", ex);
        }
    }
}
