package io.rapace.transport.shm;

import java.lang.foreign.MemorySegment;

import io.rapace.transport.shm.layout.SegmentLayout;

/** Flyweight over the segment header: identity fields and both peers' heartbeats. */
final class SegmentHeaderView {

    private final MemorySegment segment;

    SegmentHeaderView(MemorySegment segment) {
        this.segment = segment;
    }

    long magic() {
        // acquire: pairs with the host's release store of the magic, written after every other header.
        return Mem.getLongAcquire(segment, SegmentLayout.MAGIC_OFFSET);
    }

    /** Plain read: call after {@link #magic()}, whose acquire orders it. */
    int version() {
        return Mem.getInt(segment, SegmentLayout.VERSION_OFFSET);
    }

    /** Plain read: call after {@link #magic()}, whose acquire orders it. */
    int flags() {
        return Mem.getInt(segment, SegmentLayout.FLAGS_OFFSET);
    }

    int flagsAcquire() {
        // acquire: pairs with the plugin's CAS that sets FLAG_WAKE_B (and the host's magic release).
        return Mem.getIntAcquire(segment, SegmentLayout.FLAGS_OFFSET);
    }

    /**
     * Sets {@code bits} in the flags only while {@code required} is set there: a CAS loop, so a
     * concurrent change is never overwritten, and flags without {@code required} are never written.
     *
     * @return the flags after the call
     */
    int orFlagsIfSet(int required, int bits) {
        while (true) {
            int flags = flagsAcquire();
            if ((flags & required) != required || (flags & bits) == bits) {
                return flags;
            }
            // CAS: the only word both peers may write; a lost race re-reads and retries.
            if (Mem.compareAndSetInt(segment, SegmentLayout.FLAGS_OFFSET, flags, flags | bits)) {
                return flags | bits;
            }
        }
    }

    long lastSeen(PeerRole role) {
        // acquire: observe the peer's latest heartbeat store, never a stale cached value.
        return Mem.getLongAcquire(segment, lastSeenOffset(role));
    }

    long epoch(PeerRole role) {
        // acquire: same reasoning as lastSeen.
        return Mem.getLongAcquire(segment, epochOffset(role));
    }

    void beat(PeerRole role, long wallClockNanos) {
        // release: the peer that reads this time also sees everything we wrote before it.
        Mem.putLongRelease(segment, lastSeenOffset(role), wallClockNanos);
        // atomic add: the heartbeat thread and sending threads of this side may bump it concurrently.
        Mem.getAndAddLong(segment, epochOffset(role), 1);
    }

    private static long lastSeenOffset(PeerRole role) {
        return role == PeerRole.HOST ? SegmentLayout.PEER_A_LAST_SEEN_OFFSET : SegmentLayout.PEER_B_LAST_SEEN_OFFSET;
    }

    private static long epochOffset(PeerRole role) {
        return role == PeerRole.HOST ? SegmentLayout.PEER_A_EPOCH_OFFSET : SegmentLayout.PEER_B_EPOCH_OFFSET;
    }
}
