package io.rapace.transport.shm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

import io.rapace.transport.shm.layout.DescriptorLayout;
import io.rapace.transport.shm.layout.ShmLayout;

import org.jspecify.annotations.Nullable;

/**
 * One side of a rapace v1.0 shared-memory segment: sends frames on its own ring, receives frames from
 * the peer's ring, shares the slot pool, and keeps a heartbeat.
 *
 * <p>The host {@linkplain #create creates} the segment (peer A, ring A→B); a plugin
 * {@linkplain #open opens} it (peer B, ring B→A). Many threads may {@link #send}; one thread at a time
 * may {@link #poll} or {@link #receive}. {@link #close} unmaps the file; afterwards every operation
 * throws {@link TransportClosedException}.
 */
public final class ShmTransport implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ShmTransport.class.getName());

    /** Longest time {@link #close} waits for a running poll to leave its handler before unmapping. */
    private static final long CLOSE_QUIESCE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Path path;
    private final PeerRole role;
    private final ShmConfig config;
    private final ShmOptions options;
    private final Arena arena;
    private final MemorySegment segment;
    private final SegmentHeaderView header;
    private final RingProducer producer;
    private final RingConsumer consumer;
    private final SlotPool slots;
    private final Heartbeat heartbeat;
    private final long livenessTimeoutNanos;

    private final ReentrantLock sendLock = new ReentrantLock();
    /** Next msg_id; guarded by {@link #sendLock}, so ids follow ring order. */
    private long nextMsgId = 1;

    private final AtomicBoolean consuming = new AtomicBoolean();
    /** The thread inside poll/receive, so that a close from its own handler does not wait for itself. */
    private volatile @Nullable Thread consumerThread;
    private final ReceivedFrame frame;
    private final IdleStrategy receiveIdle;

    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong framesReceived = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();
    private final AtomicLong invalidFrames = new AtomicLong();
    private final TransportStats stats = new LiveStats();

    private volatile boolean closed;

    private ShmTransport(Path path, PeerRole role, MappedSegment mapped, ShmOptions options) {
        this.path = path;
        this.role = role;
        this.options = options;
        this.arena = mapped.arena();
        this.segment = mapped.segment();
        ShmLayout layout = mapped.layout();
        this.config = new ShmConfig(layout.ringCapacity(), layout.slotSize(), layout.slotCount());
        this.header = new SegmentHeaderView(segment);
        boolean host = role == PeerRole.HOST;
        this.producer = new RingProducer(segment, host ? layout.ringAToBHeader() : layout.ringBToAHeader(),
                host ? layout.ringAToBDescriptors() : layout.ringBToADescriptors(), layout.ringCapacity());
        this.consumer = new RingConsumer(segment, host ? layout.ringBToAHeader() : layout.ringAToBHeader(),
                host ? layout.ringBToADescriptors() : layout.ringAToBDescriptors(), layout.ringCapacity());
        this.slots = new SlotPool(segment, layout);
        this.frame = new ReceivedFrame(segment);
        this.receiveIdle = options.idleStrategy().get();
        this.livenessTimeoutNanos = options.livenessTimeout().toNanos();
        this.heartbeat = new Heartbeat(header, role, options.heartbeatInterval().toNanos(),
                "rapace-shm-heartbeat-" + role.name().toLowerCase() + "-" + path.getFileName());
        this.heartbeat.start();
    }

    /**
     * Host (peer A): creates or truncates {@code path}, sizes it for {@code config}, maps it, initialises
     * every header (magic last) and starts the heartbeat.
     *
     * @throws ShmOpenException with reason {@code IO} when the file cannot be created or mapped
     */
    public static ShmTransport create(Path path, ShmConfig config, ShmOptions options) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(options, "options");
        MappedSegment mapped = SegmentCreator.create(path, config);
        try {
            return new ShmTransport(path, PeerRole.HOST, mapped, options);
        }
        catch (RuntimeException ex) {
            mapped.arena().close();
            throw ex;
        }
    }

    /**
     * Plugin (peer B): waits up to {@code options.openTimeout()} for the file and a valid header, reads
     * the geometry from the segment and checks the file size against it. If
     * {@code options.expectedConfig()} is set and differs, fails naming both geometries.
     *
     * @throws ShmOpenException naming the path, the reason and, for a timeout, the time waited
     */
    public static ShmTransport open(Path path, ShmOptions options) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        MappedSegment mapped = SegmentOpener.open(path, options);
        try {
            return new ShmTransport(path, PeerRole.PLUGIN, mapped, options);
        }
        catch (RuntimeException ex) {
            mapped.arena().close();
            throw ex;
        }
    }

    /** Which side of the segment this is. */
    public PeerRole role() {
        return role;
    }

    /** The segment's geometry (for a plugin: as read from the segment). */
    public ShmConfig config() {
        return config;
    }

    /** The segment file. */
    public Path path() {
        return path;
    }

    /** The options this transport was made with. */
    public ShmOptions options() {
        return options;
    }

    /**
     * Sends one frame whose payload is {@code payload[offset, offset + length)}. Payloads of
     * {@link Descriptor#INLINE_CAPACITY} bytes or fewer travel inline, larger ones in a slot. Waits with
     * the idle strategy while the ring is full or no slot is free, up to {@code timeoutNanos}
     * (0 = do not wait).
     *
     * @param deadlineNs the frame's deadline, or {@link Descriptor#NO_DEADLINE}
     * @return the msg_id used
     * @throws PayloadTooLargeException at once when {@code length} exceeds the slot size
     * @throws BackpressureTimeoutException when no room appeared in time; nothing was sent
     * @throws PeerDiedException when the peer died while this send waited for room
     * @throws TransportClosedException when the transport is or gets closed
     */
    public long send(int channelId, int methodId, int flags, long deadlineNs, byte[] payload, int offset,
            int length, long timeoutNanos) {
        Objects.requireNonNull(payload, "payload");
        Objects.checkFromIndexSize(offset, length, payload.length);
        return sendFrame(channelId, methodId, flags, deadlineNs, payload, null, offset, length, timeoutNanos);
    }

    /** Sends one frame whose payload is all of {@code payload}; otherwise as the array variant. */
    public long send(int channelId, int methodId, int flags, long deadlineNs, MemorySegment payload,
            long timeoutNanos) {
        Objects.requireNonNull(payload, "payload");
        long size = payload.byteSize();
        if (size > slots.slotSize()) {
            throw new PayloadTooLargeException(size, slots.slotSize());
        }
        return sendFrame(channelId, methodId, flags, deadlineNs, null, payload, 0, (int) size, timeoutNanos);
    }

    /**
     * Hands up to {@code limit} waiting frames to {@code handler} without blocking; returns how many.
     * The frame is valid only inside {@code onFrame}; its slot is freed once that returns or throws (an
     * exception from the handler propagates after the frame is consumed). Invalid descriptors are
     * counted in {@link TransportStats#invalidFrames()}, logged and dropped. Single consumer thread.
     */
    public int poll(FrameHandler handler, int limit) {
        Objects.requireNonNull(handler, "handler");
        checkLimit(limit);
        ensureOpen();
        enterConsumer();
        try {
            return drain(handler, limit);
        }
        catch (IllegalStateException ex) {
            throw closedOr(ex);
        }
        finally {
            leaveConsumer();
        }
    }

    /**
     * Like {@link #poll}, but waits with the idle strategy until at least one frame arrived or
     * {@code timeoutNanos} passed (then returns 0).
     *
     * @throws PeerDiedException when nothing is waiting and the peer's heartbeat is older than the
     *     liveness timeout
     * @throws TransportClosedException when closed, also while waiting
     */
    public int receive(FrameHandler handler, int limit, long timeoutNanos) {
        Objects.requireNonNull(handler, "handler");
        checkLimit(limit);
        ensureOpen();
        enterConsumer();
        try {
            long deadline = deadlineAfter(timeoutNanos);
            receiveIdle.reset();
            while (true) {
                ensureOpen();
                int delivered = drain(handler, limit);
                if (delivered > 0) {
                    return delivered;
                }
                checkPeerAlive();
                if (System.nanoTime() - deadline >= 0) {
                    return 0;
                }
                receiveIdle.idle(0);
            }
        }
        catch (IllegalStateException ex) {
            throw closedOr(ex);
        }
        finally {
            leaveConsumer();
        }
    }

    /** Whether the peer's heartbeat is within the liveness timeout; a peer not started yet is alive. */
    public boolean isPeerAlive() {
        long age = peerHeartbeatAgeNanos();
        return age <= livenessTimeoutNanos;
    }

    /** Age of the peer's last heartbeat in nanoseconds, or -1 when it has not started yet. */
    public long peerHeartbeatAgeNanos() {
        ensureOpen();
        try {
            long lastSeen = header.lastSeen(role.peer());
            if (lastSeen == 0) {
                return -1;
            }
            return Math.max(0, WallClock.nowNanos() - lastSeen);
        }
        catch (IllegalStateException ex) {
            throw closedOr(ex);
        }
    }

    /** Live counters and gauges; usable after close (gauges then read 0). */
    public TransportStats stats() {
        return stats;
    }

    /** Whether {@link #close} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops the heartbeat and unmaps the file. Idempotent. A concurrent {@link #receive} wakes and
     * throws {@link TransportClosedException}; a handler still running gets up to 200 ms to return
     * before the mapping goes. The file itself stays: whoever created it deletes it.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        heartbeat.stop();
        long deadline = System.nanoTime() + CLOSE_QUIESCE_NANOS;
        while (consuming.get() && consumerThread != Thread.currentThread() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(100_000);
        }
        closeArena();
    }

    @Override
    public String toString() {
        return "ShmTransport[" + role + " " + path + " " + config.describe() + (closed ? " closed" : "") + "]";
    }

    MemorySegment segment() {
        return segment;
    }

    SlotPool slots() {
        return slots;
    }

    private long sendFrame(int channelId, int methodId, int flags, long deadlineNs, byte @Nullable [] array,
            @Nullable MemorySegment source, long sourceOffset, int length, long timeoutNanos) {
        ensureOpen();
        if (length > slots.slotSize()) {
            throw new PayloadTooLargeException(length, slots.slotSize());
        }
        long deadline = deadlineAfter(timeoutNanos);
        try {
            if (length <= DescriptorLayout.INLINE_CAPACITY) {
                return enqueue(channelId, methodId, flags, deadlineNs, DescriptorLayout.INLINE_SLOT, 0, length,
                        array, source, sourceOffset, deadline, timeoutNanos);
            }
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
                if (!sent && !closed) {
                    slots.abandon(slot, generation);
                }
            }
        }
        catch (IllegalStateException ex) {
            throw closedOr(ex);
        }
    }

    private long enqueue(int channelId, int methodId, int flags, long deadlineNs, int slot, int generation,
            int length, byte @Nullable [] array, @Nullable MemorySegment source, long sourceOffset, long deadline,
            long timeoutNanos) {
        lockSendRing(deadline, timeoutNanos);
        try {
            long descriptor = producer.claim();
            if (descriptor < 0) {
                descriptor = awaitRingSpace(deadline, timeoutNanos);
            }
            long msgId = nextMsgId++;
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
            Mem.putLong(segment, inline, 0L);
            Mem.putLong(segment, inline + Long.BYTES, 0L);
            if (slot == DescriptorLayout.INLINE_SLOT && length > 0) {
                copyPayload(array, source, sourceOffset, inline, length);
            }
            producer.publish();
            // lazySet: single writer at a time (we hold the send lock); readers only need eventual values.
            framesSent.lazySet(framesSent.get() + 1);
            bytesSent.lazySet(bytesSent.get() + length);
            heartbeat.beatIfStale();
            return msgId;
        }
        finally {
            sendLock.unlock();
        }
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

    private void lockSendRing(long deadline, long timeoutNanos) {
        if (sendLock.tryLock()) {
            return;
        }
        try {
            if (!sendLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new BackpressureTimeoutException(ringFullMessage(timeoutNanos)
                        + " (other senders held the ring)");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new ShmException("send interrupted while waiting for ring " + sendRingName(), ex);
        }
    }

    private long awaitRingSpace(long deadline, long timeoutNanos) {
        IdleStrategy idle = options.idleStrategy().get();
        while (true) {
            ensureOpen();
            if (System.nanoTime() - deadline >= 0) {
                throw new BackpressureTimeoutException(ringFullMessage(timeoutNanos));
            }
            checkPeerAlive();
            checkInterrupted("ring " + sendRingName() + " to drain");
            idle.idle(0);
            long descriptor = producer.claim();
            if (descriptor >= 0) {
                return descriptor;
            }
        }
    }

    private int allocateSlot(long deadline, long timeoutNanos) {
        int slot = slots.tryAllocate();
        if (slot >= 0) {
            return slot;
        }
        IdleStrategy idle = options.idleStrategy().get();
        while (true) {
            ensureOpen();
            if (System.nanoTime() - deadline >= 0) {
                throw new BackpressureTimeoutException("no free slot among " + slots.slotCount() + " slots of "
                        + slots.slotSize() + " bytes after waiting " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                        + " ms; the peer is not freeing the slots it received (" + this + ")");
            }
            checkPeerAlive();
            checkInterrupted("a free slot");
            idle.idle(0);
            slot = slots.tryAllocate();
            if (slot >= 0) {
                return slot;
            }
        }
    }

    private String ringFullMessage(long timeoutNanos) {
        return "ring " + sendRingName() + " stayed full (capacity " + producer.capacity() + ") for "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms; the peer is not consuming (" + this + ")";
    }

    private String sendRingName() {
        return role == PeerRole.HOST ? "A->B" : "B->A";
    }

    private int drain(FrameHandler handler, int limit) {
        int delivered = 0;
        for (int i = 0; i < limit && !closed; i++) {
            long descriptor = consumer.peek();
            if (descriptor < 0) {
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
            if (!closed) {
                if (!inline && !slots.free(frame.slot(), frame.generation())) {
                    LOG.log(System.Logger.Level.WARNING, "slot {0} changed while its frame was handled "
                            + "(generation {1} expected): not freed by {2}", frame.slot(),
                            Integer.toUnsignedString(frame.generation()), this);
                }
                consumer.advance();
            }
        }
    }

    private void dropInvalid(DescriptorDefect defect) {
        // lazySet: only the consumer thread writes this counter.
        invalidFrames.lazySet(invalidFrames.get() + 1);
        if (LOG.isLoggable(System.Logger.Level.WARNING)) {
            LOG.log(System.Logger.Level.WARNING, "dropped invalid descriptor from the peer ({0}): {1}; {2}; on {3}",
                    defect, defect.describe(frame, slots), Descriptor.readFrom(segment, frame.descriptorOffset()),
                    this);
        }
        consumer.advance();
    }

    private void checkPeerAlive() {
        long age = peerHeartbeatAgeNanos();
        if (age > livenessTimeoutNanos) {
            throw new PeerDiedException("peer " + role.peer() + " (" + role.peer().specName()
                    + ") last heartbeat was " + TimeUnit.NANOSECONDS.toMillis(age) + " ms ago, beyond the liveness"
                    + " timeout of " + options.livenessTimeout().toMillis() + " ms (" + this + ")", age);
        }
    }

    private void checkInterrupted(String waitingFor) {
        if (Thread.currentThread().isInterrupted()) {
            throw new ShmException("send interrupted while waiting for " + waitingFor + " (" + this + ")");
        }
    }

    private void enterConsumer() {
        if (!consuming.compareAndSet(false, true)) {
            throw new IllegalStateException("poll or receive is already running on another thread; "
                    + "a transport has exactly one consumer (" + this + ")");
        }
        consumerThread = Thread.currentThread();
    }

    private void leaveConsumer() {
        consumerThread = null;
        consuming.set(false);
    }

    private void ensureOpen() {
        if (closed) {
            throw new TransportClosedException("transport is closed (" + this + ")");
        }
    }

    private RuntimeException closedOr(IllegalStateException ex) {
        return closed ? new TransportClosedException("transport closed during the call (" + this + ")", ex) : ex;
    }

    private void closeArena() {
        long deadline = System.nanoTime() + CLOSE_QUIESCE_NANOS;
        while (true) {
            try {
                arena.close();
                return;
            }
            catch (IllegalStateException ex) {
                // Older runtimes refuse to close while another thread is inside an access: retry briefly.
                if (System.nanoTime() - deadline >= 0) {
                    LOG.log(System.Logger.Level.WARNING, "could not unmap {0}: {1}", path, ex.toString());
                    return;
                }
                Thread.onSpinWait();
            }
        }
    }

    private static void checkLimit(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit=" + limit + " must be > 0");
        }
    }

    private static long deadlineAfter(long timeoutNanos) {
        // Capped so that now + timeout never overflows: Long.MAX_VALUE / 4 ns is about 73 years.
        return System.nanoTime() + Math.clamp(timeoutNanos, 0, Long.MAX_VALUE / 4);
    }

    /** Counters kept here, gauges read from the segment while it is mapped. */
    private final class LiveStats implements TransportStats {

        @Override
        public long framesSent() {
            return framesSent.get();
        }

        @Override
        public long bytesSent() {
            return bytesSent.get();
        }

        @Override
        public long framesReceived() {
            return framesReceived.get();
        }

        @Override
        public long bytesReceived() {
            return bytesReceived.get();
        }

        @Override
        public long invalidFrames() {
            return invalidFrames.get();
        }

        @Override
        public int sendRingOccupancy() {
            return closed ? 0 : gauge(producer::occupancy);
        }

        @Override
        public int receiveRingOccupancy() {
            return closed ? 0 : gauge(consumer::occupancy);
        }

        @Override
        public int ringCapacity() {
            return config.ringCapacity();
        }

        @Override
        public int slotsInUse() {
            return closed ? 0 : gauge(slots::inUse);
        }

        @Override
        public int slotCount() {
            return config.slotCount();
        }

        private int gauge(IntSupplier reading) {
            try {
                return reading.getAsInt();
            }
            catch (IllegalStateException ex) {
                return 0;
            }
        }

        @Override
        public String toString() {
            return "TransportStats[sent=" + framesSent() + "/" + bytesSent() + "B, received=" + framesReceived() + "/"
                    + bytesReceived() + "B, invalid=" + invalidFrames() + ", slotsInUse=" + slotsInUse() + "/"
                    + slotCount() + "]";
        }
    }
}
