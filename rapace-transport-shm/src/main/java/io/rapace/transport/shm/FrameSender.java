package io.rapace.transport.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import io.rapace.transport.shm.layout.DescriptorLayout;

import org.jspecify.annotations.Nullable;

/**
 * The sending half of a transport: slot allocation, payload copy and descriptor enqueue, with
 * backpressure. Thread-safe: slots are claimed by CAS, and a lock serialises the single-producer ring,
 * held only to fill and publish one descriptor, never while waiting.
 */
final class FrameSender {

    private final MemorySegment segment;
    private final RingProducer producer;
    private final ProducerWake wake;
    private final SlotPool slots;
    private final Heartbeat heartbeat;
    private final Lifecycle lifecycle;
    private final PeerLiveness liveness;
    private final Supplier<IdleStrategy> idleStrategies;
    private final String ringName;
    private final String transportName;

    private final ReentrantLock lock = new ReentrantLock();
    /** Next msg_id; guarded by {@link #lock}, so ids follow ring order. */
    private long nextMsgId = 1;

    /**
     * A send looks at the clock for a heartbeat only once every {@value #SENDS_PER_BEAT_LOOK} sends: a clock read
     * costs about 50 ns on the VMs this runs on, a tenth of a tiny call's own work; the heartbeat thread keeps
     * {@code last_seen} fresh between sends anyway (spec §3: at least every 500 ms).
     */
    private static final int SENDS_PER_BEAT_LOOK = 64;  // a power of two: framesSent masks it

    /** Deadline not computed yet: the send has not had to wait (most never do, and skip the clock read). */
    private static final long NO_DEADLINE_YET = Long.MIN_VALUE;

    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();

    FrameSender(MemorySegment segment, RingProducer producer, ProducerWake wake, SlotPool slots, Heartbeat heartbeat, Lifecycle lifecycle,
            PeerLiveness liveness, Supplier<IdleStrategy> idleStrategies, String ringName, String transportName) {
        this.segment = segment;
        this.producer = producer;
        this.wake = wake;
        this.slots = slots;
        this.heartbeat = heartbeat;
        this.lifecycle = lifecycle;
        this.liveness = liveness;
        this.idleStrategies = idleStrategies;
        this.ringName = ringName;
        this.transportName = transportName;
    }

    /**
     * Sends one frame whose payload is {@code array[sourceOffset, +length)} or, when {@code array} is
     * null, {@code source[sourceOffset, +length)}. Bounds are the caller's to check.
     */
    long send(int channelId, int methodId, int flags, long deadlineNs, byte @Nullable [] array,
            @Nullable MemorySegment source, long sourceOffset, int length, long timeoutNanos) {
        if (length > slots.slotSize()) {
            lifecycle.ensureOpen();  // a closed transport says so before a payload too large for it does
            throw new PayloadTooLargeException(length, slots.slotSize());
        }
        // The look at the closed flag: enterSend's for a send through a slot; for an inline send, enqueue's, under the
        // lock. An inline send is not registered with the lifecycle: it takes nothing that close() must see given
        // back, and touches the mapping only under the lock, after that look (awaitLockedSends). Two atomic adds fewer
        // a tiny frame. Its deadline is computed only if the ring is full (no clock read for a tiny call that finds
        // room).
        boolean inline = length <= DescriptorLayout.INLINE_CAPACITY;
        if (!inline) {
            lifecycle.enterSend();
        }
        try {
            return inline
                    ? enqueue(channelId, methodId, flags, deadlineNs, DescriptorLayout.INLINE_SLOT, 0, length, array,
                            source, sourceOffset, NO_DEADLINE_YET, timeoutNanos)
                    : sendInSlot(channelId, methodId, flags, deadlineNs, array, source, sourceOffset, length,
                            timeoutNanos);
        }
        catch (IllegalStateException ex) {
            throw lifecycle.closedOr(ex);
        }
        finally {
            if (!inline) {
                lifecycle.leaveSend();
            }
        }
    }

    /**
     * After {@link Lifecycle#close()}: waits until no send holds the lock, or {@code deadline} passes. A send that
     * takes the lock later sees the closed flag before it touches the mapping ({@link #enqueue}), so once this
     * returns in time no inline send touches the mapping again.
     */
    void awaitLockedSends(long deadline) {
        try {
            if (lock.tryLock(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                lock.unlock();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();  // the close goes on: an access after it fails cleanly (FFM)
        }
    }

    /**
     * {@link #send} of a payload larger than a descriptor holds, once registered with the lifecycle: close() waits
     * for it, so that a slot it took goes back before the mapping does.
     */
    private long sendInSlot(int channelId, int methodId, int flags, long deadlineNs, byte @Nullable [] array,
            @Nullable MemorySegment source, long sourceOffset, int length, long timeoutNanos) {
        long deadline = deadlineAfter(timeoutNanos);  // one deadline for both the slot and the ring space
        int slot = allocateSlot(deadline, timeoutNanos);
        int generation = 0;
        boolean sent = false;
        try {
            generation = slots.bumpGeneration(slot);
            copyPayload(array, source, sourceOffset, slots.dataOffset(slot), length);
            slots.markInFlight(slot);
            long msgId = enqueue(channelId, methodId, flags, deadlineNs, slot, generation, length, null, null,
                    0, deadline, timeoutNanos);
            sent = true;
            return msgId;
        }
        finally {
            if (!sent) {
                // also after a close: close() waits for this send (enterSend), so the mapping is still there
                slots.abandon(slot, generation);
            }
        }
    }

    long framesSent() {
        return framesSent.get();
    }

    long bytesSent() {
        return bytesSent.get();
    }

    int ringOccupancy() {
        return producer.occupancy();
    }

    /** {@code timeoutNanos} from now, capped so that it never overflows (Long.MAX_VALUE / 4 ns is about 73 years). */
    private static long deadlineAfter(long timeoutNanos) {
        return System.nanoTime() + Math.clamp(timeoutNanos, 0, Long.MAX_VALUE / 4);
    }

    /**
     * Claims the next descriptor (waiting for room as the send's timeout allows), fills it and publishes it.
     *
     * <p>This method is the send path's compile boundary, on purpose in one piece: its bytecode is over C2's
     * inlining limit for hot methods ({@code FreqInlineSize}, 325 bytes), so C2 compiles it on its own and never
     * into a caller. Inlined into a deep caller (a typed proxy's compile starts 14 calls above the descriptor
     * stores, and a memory access through FFM takes 8 more inside the JDK) the stores passed
     * {@code MaxInlineLevel} (15) and became calls: typed {@code add} p50 1.4-2.0 µs in the runs where C2 chose
     * such a root, 0.86-1.2 µs in those where it did not (InliningBudgetTest).
     */
    private long enqueue(int channelId, int methodId, int flags, long deadlineNs, int slot, int generation,
            int length, byte @Nullable [] array, @Nullable MemorySegment source, long sourceOffset,
            long deadlineOrNone, long timeoutNanos) {
        long deadline = deadlineOrNone;
        IdleStrategy idle = null;
        while (true) {
            lock.lock();
            try {
                // After the lock, before the mapping (volatile read): close() sets the flag, then takes this lock.
                lifecycle.ensureOpen();
                long descriptor = producer.claim();
                if (descriptor >= 0) {
                    long msgId = nextMsgId++;
                    // plain stores: the release store of visible_head in publish() makes them visible to the consumer.
                    Mem.putLong(segment, descriptor + DescriptorLayout.MSG_ID_OFFSET, msgId);
                    Mem.putInt(segment, descriptor + DescriptorLayout.CHANNEL_ID_OFFSET, channelId);
                    Mem.putInt(segment, descriptor + DescriptorLayout.METHOD_ID_OFFSET, methodId);
                    Mem.putInt(segment, descriptor + DescriptorLayout.PAYLOAD_SLOT_OFFSET, slot);
                    Mem.putInt(segment, descriptor + DescriptorLayout.PAYLOAD_GENERATION_OFFSET, generation);
                    Mem.putInt(segment, descriptor + DescriptorLayout.PAYLOAD_OFFSET_OFFSET, 0);
                    Mem.putInt(segment, descriptor + DescriptorLayout.PAYLOAD_LEN_OFFSET, length);
                    Mem.putInt(segment, descriptor + DescriptorLayout.FLAGS_OFFSET, flags);
                    Mem.putInt(segment, descriptor + DescriptorLayout.CREDIT_GRANT_OFFSET, 0);
                    Mem.putLong(segment, descriptor + DescriptorLayout.DEADLINE_NS_OFFSET, deadlineNs);
                    long inline = descriptor + DescriptorLayout.INLINE_PAYLOAD_OFFSET;
                    if (slot == DescriptorLayout.INLINE_SLOT && array != null) {
                        // The payload as the inline area's two words, zero past its end: no copy call (one has a
                        // fixed cost, and its first in a JVM links the JDK's switch on the array's class: 5-8 ms).
                        Mem.putLong(segment, inline, inlineWord(array, (int) sourceOffset, length, 0));
                        Mem.putLong(segment, inline + Long.BYTES, inlineWord(array, (int) sourceOffset, length, 1));
                    }
                    else {
                        Mem.putLong(segment, inline, 0L);
                        Mem.putLong(segment, inline + Long.BYTES, 0L);
                        if (slot == DescriptorLayout.INLINE_SLOT && length > 0) {
                            copyPayload(array, source, sourceOffset, inline, length);
                        }
                    }
                    producer.publish();
                    wake.afterPublish();
                    // lazySet: one writer at a time (the lock); readers only need eventual values.
                    long sent = framesSent.get() + 1;
                    framesSent.lazySet(sent);
                    bytesSent.lazySet(bytesSent.get() + length);
                    if ((sent & (SENDS_PER_BEAT_LOOK - 1)) == 0) {
                        heartbeat.beatIfStale(System.nanoTime());
                    }
                    return msgId;
                }
            }
            finally {
                lock.unlock();
            }
            if (idle == null) {
                idle = idleStrategies.get();
                if (deadline == NO_DEADLINE_YET) {
                    deadline = deadlineAfter(timeoutNanos);
                }
            }
            awaitRoom(idle, deadline, timeoutNanos, false);
        }
    }

    /**
     * Word {@code index} (0 or 1) of an inline payload of {@code length} bytes from {@code array} at {@code from}, as
     * the little-endian {@code u64} the inline area holds there: its bytes {@code 8 * index} to {@code 8 * index + 7},
     * zero past the payload's end.
     */
    private static long inlineWord(byte[] array, int from, int length, int index) {
        int start = index * Long.BYTES;
        if (length >= start + Long.BYTES) {
            int at = from + start;
            // A whole word: eight independent loads, which the CPU overlaps (a loop's chain it could not).
            return (array[at] & 0xFFL) | (array[at + 1] & 0xFFL) << 8 | (array[at + 2] & 0xFFL) << 16
                    | (array[at + 3] & 0xFFL) << 24 | (array[at + 4] & 0xFFL) << 32 | (array[at + 5] & 0xFFL) << 40
                    | (array[at + 6] & 0xFFL) << 48 | (array[at + 7] & 0xFFL) << 56;
        }
        long word = 0;
        for (int i = Math.min(length, start + Long.BYTES) - 1; i >= start; i--) {
            word = (word << Byte.SIZE) | (array[from + i] & 0xFFL);
        }
        return word;
    }

    private void copyPayload(byte @Nullable [] array, @Nullable MemorySegment source, long sourceOffset,
            long target, int length) {
        if (array != null) {
            MemorySegment.copy(array, (int) sourceOffset, segment, ValueLayout.JAVA_BYTE, target, length);
        }
        else {
            MemorySegment.copy(Objects.requireNonNull(source), sourceOffset, segment, target, length);
        }
    }

    private int allocateSlot(long deadline, long timeoutNanos) {
        int slot = slots.tryAllocate();
        IdleStrategy idle = null;
        while (slot < 0) {
            if (idle == null) {
                idle = idleStrategies.get();
            }
            awaitRoom(idle, deadline, timeoutNanos, true);
            slot = slots.tryAllocate();
        }
        return slot;
    }

    /**
     * One step of waiting for ring space or a free slot: fails when closed, past the deadline, the peer
     * is gone or the thread is interrupted; otherwise idles once (a stalled peer is waited for).
     */
    private void awaitRoom(IdleStrategy idle, long deadline, long timeoutNanos, boolean forSlot) {
        lifecycle.ensureOpen();
        if (System.nanoTime() - deadline >= 0) {
            throw new BackpressureTimeoutException(forSlot ? noSlotMessage(timeoutNanos)
                    : ringFullMessage(timeoutNanos));
        }
        liveness.check();
        if (Thread.currentThread().isInterrupted()) {
            throw new ShmException("send interrupted while waiting for " + (forSlot ? "a free slot" : "ring "
                    + ringName + " to drain") + " (" + transportName + ")");
        }
        idle.idle(0);
    }

    private String noSlotMessage(long timeoutNanos) {
        return "no free slot among " + slots.slotCount() + " slots of " + slots.slotSize() + " bytes after waiting "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms; the peer is not freeing the slots it received ("
                + transportName + ")";
    }

    private String ringFullMessage(long timeoutNanos) {
        return "ring " + ringName + " stayed full (capacity " + producer.capacity() + ") for "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms; the peer is not consuming (" + transportName
                + ")";
    }
}
