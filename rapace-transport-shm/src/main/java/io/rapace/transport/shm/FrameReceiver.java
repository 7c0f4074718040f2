package io.rapace.transport.shm;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.rapace.transport.shm.layout.DescriptorLayout;

/**
 * The receiving half of a transport: dequeues descriptors, validates them, hands valid frames to the
 * handler and frees their slots exactly once; counts and drops invalid ones. Single consumer, enforced.
 */
final class FrameReceiver {

    /** The logger, made at this class's first log line: a process that logs nothing never sets up the JDK's logging. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(FrameReceiver.class.getName());
    }

    private final MemorySegment segment;
    private final RingConsumer consumer;
    private final SlotPool slots;
    private final Lifecycle lifecycle;
    private final String transportName;
    private final ReceivedFrame frame;

    /** The one consuming thread; a close from its own handler does not wait for itself. */
    private final ExclusiveUse consuming;

    private final AtomicLong framesReceived = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();
    private final AtomicLong invalidFrames = new AtomicLong();
    private final AtomicLong invalidHeads = new AtomicLong();
    /** Limits the invalid-descriptor lines; consumer thread only. */
    private final DefectLogBudget defectLog = new DefectLogBudget();
    /** Whether the last peek found visible_head out of range (one count and log line per episode). */
    private boolean headRejected;

    FrameReceiver(MemorySegment segment, RingConsumer consumer, SlotPool slots, Lifecycle lifecycle,
            String transportName) {
        this.segment = segment;
        this.consumer = consumer;
        this.slots = slots;
        this.lifecycle = lifecycle;
        this.transportName = transportName;
        this.frame = new ReceivedFrame(segment);
        this.consuming = new ExclusiveUse("poll or receive is already running on another thread; "
                + "a transport has exactly one consumer (" + transportName + ")");
    }

    /**
     * Claims the consumer role for the calling thread; fails if another thread holds it, with
     * {@link TransportClosedException} when that is {@code close()} (which holds it a moment to publish the tail).
     */
    void enter() {
        if (!consuming.tryEnter()) {
            lifecycle.ensureOpen();
            consuming.enter();
        }
    }

    void leave() {
        consuming.leave();
    }

    /** Waits until no other thread is consuming, or the deadline passes. */
    void awaitQuiescence(long deadline) {
        consuming.awaitVacant(deadline);
    }

    /** Publishes the tail of the frames consumed since the last look at the ring; the consumer's call. */
    void handBackConsumed() {
        consumer.publishTail();
    }

    /**
     * For {@code close()}, after {@link #awaitQuiescence}: publishes the tail of the frames consumed since the last look
     * at the ring, so that whoever maps the segment next sees them consumed. Claims the consumer role to do so, and
     * leaves it to a consumer that holds it (that one publishes at its next look, or never: closed).
     */
    void publishConsumedIfIdle() {
        if (consuming.tryEnter()) {
            try {
                consumer.publishTail();
            }
            finally {
                consuming.leave();
            }
        }
    }

    /**
     * Hands up to {@code limit} frames to the handler; returns how many valid ones it delivered.
     *
     * @throws ShmException when the peer's {@code visible_head} is out of range and nothing was delivered
     *     (frames delivered before it are returned first; the next call throws)
     */
    int drain(FrameHandler handler, int limit) {
        int delivered = 0;
        // The frames the last look consumed go back to the producer now, not at their advance (RingConsumer): a
        // caller's next look comes after its next request. Every wait of a receive starts with a look that found
        // nothing, so nobody sleeps with consumed frames unpublished.
        consumer.publishTail();
        for (int i = 0; i < limit && !lifecycle.isClosed(); i++) {
            long descriptor = consumer.peek();
            if (descriptor == RingConsumer.BAD_HEAD) {
                if (delivered > 0) {
                    break;
                }
                throw rejectHead();
            }
            headRejected = false;
            if (descriptor == RingConsumer.EMPTY) {
                break;
            }
            frame.load(descriptor);
            DescriptorDefect defect = DescriptorDefect.find(frame, slots);
            if (defect != null) {
                dropInvalid(defect);
                continue;
            }
            deliver(handler);
            delivered++;
        }
        return delivered;
    }

    long framesReceived() {
        return framesReceived.get();
    }

    long bytesReceived() {
        return bytesReceived.get();
    }

    long invalidFrames() {
        return invalidFrames.get();
    }

    long invalidHeads() {
        return invalidHeads.get();
    }

    int ringOccupancy() {
        return consumer.occupancy();
    }

    private void deliver(FrameHandler handler) {
        boolean inline = frame.isInline();
        int length = frame.rawPayloadLength();
        long address = inline ? frame.descriptorOffset() + DescriptorLayout.INLINE_PAYLOAD_OFFSET
                : slots.dataOffset(frame.slot()) + Integer.toUnsignedLong(frame.rawPayloadOffset());
        // lazySet: only the consumer thread writes these; readers need eventual values.
        framesReceived.lazySet(framesReceived.get() + 1);
        bytesReceived.lazySet(bytesReceived.get() + length);
        frame.activate(address);
        try {
            handler.onFrame(frame);
        }
        finally {
            frame.deactivate();
            consumed(inline);
        }
    }

    /**
     * Frees the delivered frame's slot and advances the tail, also when the transport was closed meanwhile:
     * close() waits for this consumer (up to its quiescence bound) before unmapping. Only a close from the
     * handler itself, or a handler that outlasted that bound, finds the mapping gone; then nothing can be
     * returned, and the peer sees the frame as unconsumed.
     */
    private void consumed(boolean inline) {
        try {
            if (!inline && !slots.free(frame.slot(), frame.generation())) {
                Log.LOG.log(System.Logger.Level.WARNING, "slot {0} changed while its frame was handled "
                        + "(generation {1} expected): not freed by {2}", frame.slot(),
                        Integer.toUnsignedString(frame.generation()), transportName);
            }
            consumer.advance();
        }
        catch (IllegalStateException unmapped) {
            if (!lifecycle.isClosed()) {
                throw unmapped;
            }
        }
    }

    private void dropInvalid(DescriptorDefect defect) {
        // lazySet: only the consumer thread writes this counter.
        invalidFrames.lazySet(invalidFrames.get() + 1);
        if (Log.LOG.isLoggable(System.Logger.Level.WARNING)) {
            long unlogged = defectLog.admit(System.nanoTime());
            if (unlogged != DefectLogBudget.SILENT) {
                String before = unlogged == 0 ? "" : " (" + unlogged + " earlier ones were counted, not logged)";
                String after = defectLog.exhausted() ? "; further invalid descriptors within "
                        + TimeUnit.NANOSECONDS.toSeconds(DefectLogBudget.WINDOW_NANOS)
                        + " s are only counted (stats().invalidFrames())" : "";
                Log.LOG.log(System.Logger.Level.WARNING, "dropped invalid descriptor from the peer ({0}): {1}; {2}; on {3}{4}{5}",
                        defect, defect.describe(frame, slots), Descriptor.readFrom(segment, frame.descriptorOffset()),
                        transportName, before, after);
            }
        }
        consumer.advance();
    }

    /**
     * The error for a {@code visible_head} out of range; counted and logged once per episode (until a sane
     * head is read again). Nothing of the ring is read while it lasts: no old descriptor is delivered again.
     */
    private ShmException rejectHead() {
        long head = consumer.rejectedHead();
        long tail = consumer.tail();
        boolean behind = head - tail < 0;
        String message = "protocol violation by the peer: visible_head=" + Long.toUnsignedString(head) + " is "
                + Long.toUnsignedString(behind ? tail - head : head - tail) + (behind ? " behind" : " ahead of")
                + " our tail=" + Long.toUnsignedString(tail) + " (ring capacity " + consumer.capacity()
                + ": a head is at most that far ahead, never behind); nothing is read from the ring until its head "
                + "is sane again (" + transportName + ")";
        if (!headRejected) {
            headRejected = true;
            // lazySet: only the consumer thread writes this counter.
            invalidHeads.lazySet(invalidHeads.get() + 1);
            Log.LOG.log(System.Logger.Level.ERROR, message);
        }
        return new ShmException(message);
    }
}
