package io.rapace.core.session;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

import io.rapace.transport.shm.PeerRole;

/**
 * Allocates channel ids (spec §4): the host odd ids from 1, the plugin even ids from 2, each the
 * previous + 2 as an unsigned 32-bit number. Wrapping is safe: 0 (the control channel) is never
 * returned, and an id still in use is skipped.
 */
final class ChannelIds {

    private final PeerRole role;

    private final AtomicInteger next;

    ChannelIds(PeerRole role) {
        this.role = role;
        this.next = new AtomicInteger(role == PeerRole.HOST ? 1 : 2);
    }

    /** The next free id; {@code inUse} says which ids are still taken. */
    int next(IntPredicate inUse) {
        while (true) {
            // Plain atomic increment: only uniqueness matters, the id orders nothing else.
            int id = this.next.getAndAdd(2);
            if (id != 0 && !inUse.test(id)) {
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

    /** For tests: continue allocating from {@code value}. */
    void resetForTest(int value) {
        this.next.set(value);
    }
}
