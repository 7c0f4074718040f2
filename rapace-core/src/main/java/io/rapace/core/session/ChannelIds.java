package io.rapace.core.session;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;

import io.rapace.transport.shm.PeerRole;

/**
 * Allocates channel ids (spec §4): the host odd ids from 1, the plugin even ids from 2, each the
 * previous + 2 as an unsigned 32-bit number. Wrapping is safe: 0 (the control channel) is never
 * returned, and once the ids wrapped, an id still in use is skipped. Until then every id is new, so no table is asked.
 */
final class ChannelIds {

    /** The first count past the unsigned 32-bit ids: a count at or above it is an id the allocator gave out before. */
    private static final long WRAPPED = 1L << 32;

    private final PeerRole role;

    /** Ids drawn so far, counted on 64 bits: the low 32 are the id, the rest how often the ids wrapped. */
    private final AtomicLong next;

    ChannelIds(PeerRole role) {
        this.role = role;
        this.next = new AtomicLong(role == PeerRole.HOST ? 1 : 2);
    }

    /** The next free id; {@code inUse} says which ids are still taken (asked only once the ids wrapped). */
    int next(IntPredicate inUse) {
        while (true) {
            // Plain atomic increment: only uniqueness matters, the id orders nothing else.
            long drawn = this.next.getAndAdd(2);
            int id = (int) drawn;
            if (id != 0 && (drawn < WRAPPED || !inUse.test(id))) {
                return id;
            }
        }
    }

    /** Whether {@code channelId} is one this side allocates (a response to our call). */
    boolean isLocal(int channelId) {
        return isLocal(this.role, channelId);
    }

    static boolean isLocal(PeerRole role, int channelId) {
        boolean odd = (channelId & 1) == 1;
        return role == PeerRole.HOST ? odd : !odd && channelId != 0;
    }

    /** For tests: continue allocating from {@code value} (unsigned), as if the ids had wrapped {@code wraps} times. */
    void resetForTest(int value, int wraps) {
        this.next.set(Integer.toUnsignedLong(value) + wraps * WRAPPED);
    }
}
