package io.rapace.transport.shm;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.rapace.transport.shm.layout.DescriptorLayout;
import io.rapace.transport.shm.layout.SegmentLayout;
import io.rapace.transport.shm.layout.ShmLayout;

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

    /** The logger, made at this class's first log line: a process that logs nothing never sets up the JDK's logging. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(ShmTransport.class.getName());
    }

    /** Longest time {@link #close} waits for a running poll to leave its handler before unmapping. */
    private static final long CLOSE_QUIESCE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** Longest time {@link #close} waits for sends under way to return the slots they took. */
    private static final long CLOSE_SENDS_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** A spinning receive reads the clock (for its timeout) once every 8 idle rounds. */
    private static final int CLOCK_LOOK_MASK = 7;

    /** A spinning or yielding receive checks the peer's heartbeat once every 64 idle rounds. */
    private static final int LIVENESS_CHECK_MASK = 63;

    /**
     * A parking receive checks the peer's heartbeat once every 16 parks (every 64 ms with 4 ms parks; before, at
     * every park: 250 checks a second, a tenth of each idle wake-up's CPU, docs/transport.md); a sleep in the kernel
     * checks before each sleep (a sleep lasts until something wakes it, the heartbeat thread's {@link SleepWatch}
     * included); a verdict from outside is seen at the next park.
     */
    static final int PARKING_LIVENESS_CHECK_MASK = 15;

    private final Path path;
    private final PeerRole role;
    private final ShmConfig config;
    private final ShmOptions options;
    private final String name;
    private final Arena arena;
    private final SegmentFile file;
    private final MemorySegment segment;
    private final SlotPool slots;
    private final Lifecycle lifecycle;
    private final SegmentHeaderView header;
    /** The host's CLOSES_BY_REMOVAL bit, fixed before the magic was published: read once, at the open. */
    private final boolean hostClosesByRemoval;
    private final PeerLiveness liveness;
    private final Heartbeat heartbeat;
    private final FrameSender sender;
    private final FrameReceiver receiver;
    /** The receive's idle strategy, which may park a long idle on a busy CPU (opt-in, see {@link BusyCpuParking}). */
    private final BusyCpuParking receiveIdle;
    /** Heartbeat checks made by receives (for tests and figures). */
    private final AtomicLong livenessChecks = new AtomicLong();
    private final WakeFlags wakeFlags;
    private final ProducerWake sendWake;
    private final ConsumerSleep receiveSleep;
    /** The heartbeat thread's look at a receive asleep in the kernel, which lets such a sleep last. */
    private final SleepWatch sleepWatch;
    /** The receive's parks in the idle strategy, which {@link #wakeSleepingReceive()} cuts short. */
    private final ParkedReceive receivePark;
    /** Moves a reading caller to another CPU ({@link #moveCallerToAnotherCpu}); used by one reader at a time. */
    private final CpuHop callerHop = new CpuHop();
    private final TransportStats stats;

    private ShmTransport(Path path, PeerRole role, MappedSegment mapped, ShmOptions options) {
        this.path = path;
        this.role = role;
        this.options = options;
        this.arena = mapped.arena();
        this.file = mapped.file();
        this.segment = mapped.segment();
        ShmLayout layout = mapped.layout();
        this.config = new ShmConfig(layout.ringCapacity(), layout.slotSize(), layout.slotCount());
        this.name = "ShmTransport[" + role + " " + path + " " + config.describe() + "]";
        this.lifecycle = new Lifecycle(name);
        this.header = new SegmentHeaderView(segment);
        // A host that closes stops heartbeating and removes the file (v1.0 has no close frame); a host never
        // reads its own file's removal as the plugin closing.
        this.liveness = new PeerLiveness(header, role.peer(), options.livenessTimeout(), options.peerGoneAfter(), name,
                role == PeerRole.PLUGIN ? this::segmentFileRemoved : () -> false);
        this.slots = new SlotPool(segment, layout);
        boolean host = role == PeerRole.HOST;
        this.wakeFlags = host ? WakeFlags.forHost(header) : WakeFlags.forPlugin(header, options.wakeExtension());
        RingRegion aToB = RingRegion.of(segment, layout.ringAToBHeader(), layout.ringAToBDescriptors(),
                layout.ringCapacity(), wakeFlags.enabled());
        RingRegion bToA = RingRegion.of(segment, layout.ringBToAHeader(), layout.ringBToADescriptors(),
                layout.ringCapacity(), wakeFlags.enabled());
        RingProducer producer = new RingProducer(host ? aToB : bToA);
        RingConsumer consumer = new RingConsumer(host ? bToA : aToB);
        this.hostClosesByRemoval = (header.flagsAcquire() & SegmentLayout.FLAG_HOST_CLOSES_BY_REMOVAL) != 0;
        if (!host && !this.hostClosesByRemoval) {
            // A host that did not promise to close by removing the file (a v1.0 host, or one running only the wake
            // extension) ends a session as spec §3 says, by letting its heartbeat go stale: stale beyond the
            // liveness timeout is dead (until its process is watched: then HostProcessWatch decides, and a stopped
            // process is waited for).
            this.liveness.judgeBySpec();
        }
        this.receiveSleep = new ConsumerSleep(host ? bToA : aToB, consumer, lifecycle, wakeFlags);
        this.sendWake = new ProducerWake(host ? aToB : bToA, wakeFlags, receiveSleep);
        this.sleepWatch = new SleepWatch(receiveSleep, liveness, name);
        BeatFollow beatFollow = host ? BeatFollow.forHost(header, segment)
                : BeatFollow.forPlugin(header, segment, options.wakeExtension());
        this.heartbeat = new Heartbeat(header, role, options.heartbeatInterval().toNanos(),
                "rapace-shm-heartbeat-" + role.name().toLowerCase() + "-" + path.getFileName(), sleepWatch::look,
                beatFollow);
        this.sender = new FrameSender(segment, producer, sendWake, slots, heartbeat, lifecycle, liveness, options.idleStrategy(),
                host ? "A->B" : "B->A", name);
        this.receiver = new FrameReceiver(segment, consumer, slots, lifecycle, name);
        this.stats = new LiveTransportStats(this.sender, this.receiver, this.slots, this.config, this.lifecycle);
        this.receiveIdle = BusyCpuParking.around(options.idleStrategy().get());
        this.receivePark = new ParkedReceive(this.receiveIdle);
        this.heartbeat.start();
    }

    /**
     * Host (peer A): creates {@code path} as a new file of mode 0600 (never following a link, never
     * truncating), holds the host lock on it while open, sizes it for {@code config}, maps it, initialises
     * every header (magic last) and starts the heartbeat. An abandoned segment of this user at the path (no
     * process locks it) or an empty file of this user is unlinked first, so the segment is a new inode
     * (docs/segment-files.md).
     *
     * @throws ShmOpenException {@code REFUSED_PATH} when the path is a symbolic link, not a regular file,
     *     another user's file or not a rapace segment (left untouched); {@code IN_USE} when a live host or
     *     plugin locks the segment there; {@code IO} when the file cannot be created or mapped
     */
    public static ShmTransport create(Path path, ShmConfig config, ShmOptions options) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(options, "options");
        MappedSegment mapped = SegmentCreator.create(path, config, creationFlags(options));
        try {
            return new ShmTransport(path, PeerRole.HOST, mapped, options);
        }
        catch (RuntimeException ex) {
            mapped.close();
            throw ex;
        }
    }

    /**
     * Plugin (peer B): waits up to {@code options.openTimeout()} for the file and a valid header, reads
     * the geometry from the segment and checks the file size against it. If
     * {@code options.expectedConfig()} is set and differs, fails naming both geometries. Holds the plugin
     * lock while open: only one plugin uses a segment (docs/segment-files.md).
     *
     * @throws ShmOpenException naming the path, the reason and, for a timeout, the time waited;
     *     {@code IN_USE} at once when another plugin holds the segment
     */
    public static ShmTransport open(Path path, ShmOptions options) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        MappedSegment mapped = SegmentOpener.open(path, options);
        try {
            return new ShmTransport(path, PeerRole.PLUGIN, mapped, options);
        }
        catch (RuntimeException ex) {
            mapped.close();
            throw ex;
        }
    }

    /**
     * Deletes the files named {@code glob} in {@code directory} that are abandoned segments: regular files of
     * this process's user that no process locks and that nobody modified or heartbeated for the last 3 s
     * (docs/segment-files.md). For a host's start-up, in the directory of its temporary segments.
     *
     * @return the deleted files
     */
    public static List<Path> removeStaleSegments(Path directory, String glob) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(glob, "glob");
        return StaleSegments.remove(directory, glob);
    }

    /**
     * Deletes the segment file when it is this side's to delete, before or after {@link #close}: only if the
     * path still names the very file this transport created or opened (never a newer segment made at the
     * same path), and, for a plugin, only if no process holds the host lock (the host is gone for good). A
     * host calls it when it is done with the segment; a plugin when its host died.
     *
     * @return whether the file was deleted
     */
    public boolean removeSegmentFile() {
        try {
            return file.deleteIfStillIt(role);
        }
        catch (NoSuchFileException ex) {
            return false;
        }
        catch (IOException ex) {
            Log.LOG.log(System.Logger.Level.WARNING, "cannot delete the segment file " + path, ex);
            return false;
        }
    }

    /**
     * Whether the path no longer names the file this transport opened (removed, or replaced by a newer one): how a
     * plugin tells a host that closed from one that stalled (a file-system call; false when it cannot be told).
     */
    public boolean segmentFileRemoved() {
        try {
            return !file.pathStillNamesIt();
        }
        catch (IOException ex) {
            return false;
        }
    }

    /**
     * Whether the host promised, by the flags bit {@link SegmentLayout#FLAG_HOST_CLOSES_BY_REMOVAL}
     * (docs/wake-extension.md section 11), that it ends a session only by removing the segment file, no longer mapping
     * it, or exiting: a heartbeat of that host standing still while its process runs is then a stall, never the end.
     * False for a host that did not (the Rust reference, any v1.0 host, ours with its extensions off), which ends a
     * session as spec §3 says: a heartbeat older than the liveness timeout means it is gone. On the host's own
     * transport, whether it made the promise.
     */
    public boolean hostClosesByRemoval() {
        lifecycle.ensureOpen();
        return this.hostClosesByRemoval;
    }

    /**
     * The SegmentHeader flags a host writes at creation: with this project's extensions on, the promise to close by
     * removal and, where futexes work, the wake extension's bits (the wake, and the beat follow); with them off, 0 (a
     * v1.0 header byte for byte).
     */
    private static int creationFlags(ShmOptions options) {
        return options.wakeExtension()
                ? SegmentLayout.FLAG_HOST_CLOSES_BY_REMOVAL | WakeFlags.hostBit() | BeatFollow.hostBit()
                : 0;
    }

    /**
     * Whether the peer is {@link PeerState#GONE} because it closed the segment rather than died: for a plugin,
     * its host stopped heartbeating and removed the segment file (v1.0 has no close frame). Usable after close.
     */
    public boolean peerClosedSegment() {
        return liveness.closedByPeer();
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
     * {@link DescriptorLayout#INLINE_CAPACITY} bytes or fewer travel inline, larger ones in a slot. Waits with
     * the idle strategy while the ring is full or no slot is free, up to {@code timeoutNanos}
     * (0 = do not wait).
     *
     * @param deadlineNs the frame's deadline, or {@link DescriptorLayout#NO_DEADLINE}
     * @return the msg_id used
     * @throws PayloadTooLargeException at once when {@code length} exceeds the slot size
     * @throws BackpressureTimeoutException when no room appeared in time; nothing was sent
     * @throws PeerDiedException when the peer is or became {@link PeerState#GONE} while this send waited for
     *     room (a {@link PeerState#STALLED} peer is waited for, up to {@code timeoutNanos})
     * @throws TransportClosedException when the transport is or gets closed
     */
    public long send(int channelId, int methodId, int flags, long deadlineNs, byte[] payload, int offset,
            int length, long timeoutNanos) {
        Objects.requireNonNull(payload, "payload");
        Objects.checkFromIndexSize(offset, length, payload.length);
        return sender.send(channelId, methodId, flags, deadlineNs, payload, null, offset, length, timeoutNanos);
    }

    /** Sends one frame whose payload is all of {@code payload}; otherwise as the array variant. */
    public long send(int channelId, int methodId, int flags, long deadlineNs, MemorySegment payload,
            long timeoutNanos) {
        Objects.requireNonNull(payload, "payload");
        long size = payload.byteSize();
        if (size > config.slotSize()) {
            throw new PayloadTooLargeException(size, config.slotSize());
        }
        return sender.send(channelId, methodId, flags, deadlineNs, null, payload, 0, (int) size, timeoutNanos);
    }

    /**
     * Hands up to {@code limit} waiting frames to {@code handler} without blocking; returns how many.
     * The frame is valid only inside {@code onFrame}; its slot is freed once that returns or throws (an
     * exception from the handler propagates after the frame is consumed). Invalid descriptors are
     * counted in {@link TransportStats#invalidFrames()}, logged and dropped. Single consumer thread.
     * The ring's {@code tail}, which hands the consumed descriptors back to the peer, is stored at the start of
     * the next {@code poll} or {@code receive} (or at {@link #handBackConsumed()} or {@link #close()}), not before
     * this returns: the peer sees up to {@code limit} fewer free descriptors meanwhile (docs/transport.md, "When the
     * consumer publishes its tail").
     *
     * @throws ShmException when the peer's {@code visible_head} is more than the ring capacity ahead of our
     *     tail, or behind it (a protocol violation; counted in {@link TransportStats#invalidHeads()}); nothing
     *     is read from the ring until the head is sane again
     */
    public int poll(FrameHandler handler, int limit) {
        Objects.requireNonNull(handler, "handler");
        checkLimit(limit);
        lifecycle.ensureOpen();
        receiver.enter();
        try {
            int delivered = receiver.drain(handler, limit);
            if (delivered > 0) {
                receiveIdle.idle(delivered);  // work: the next receive starts its backoff afresh
            }
            return delivered;
        }
        catch (IllegalStateException ex) {
            throw lifecycle.closedOr(ex);
        }
        finally {
            receiver.leave();
        }
    }

    /**
     * Hands the frames consumed so far back to the peer now (stores the ring's {@code tail}) rather than at the next
     * {@code poll} or {@code receive}: for a consumer that stops looking at the ring for a while. The consumer thread's
     * call, as {@link #poll} is.
     *
     * @throws TransportClosedException when closed
     * @throws IllegalStateException when another thread polls or receives now
     */
    public void handBackConsumed() {
        lifecycle.ensureOpen();
        receiver.enter();
        try {
            receiver.handBackConsumed();
        }
        catch (IllegalStateException ex) {
            throw lifecycle.closedOr(ex);
        }
        finally {
            receiver.leave();
        }
    }

    /**
     * Like {@link #poll}, but waits with the idle strategy until at least one frame arrived or
     * {@code timeoutNanos} passed (then returns 0). The backoff restarts after frames were delivered and
     * otherwise carries on across calls: a receive after one that timed out waits like its predecessor
     * did at the end (so a receive loop with a short timeout stays cheap when idle).
     *
     * @throws PeerDiedException when nothing is waiting and the peer is {@link PeerState#GONE} (a
     *     {@link PeerState#STALLED} peer is not: the receive waits as usual)
     * @throws TransportClosedException when closed, also while waiting
     * @throws ShmException when the peer's {@code visible_head} is out of range, as {@link #poll}
     */
    public int receive(FrameHandler handler, int limit, long timeoutNanos) {
        Objects.requireNonNull(handler, "handler");
        checkLimit(limit);
        lifecycle.ensureOpen();
        receiver.enter();
        try {
            // The clock is read lazily: not before the first empty rounds (a frame that is already there, or
            // arrives within them, costs no clock read: about 50 ns on a VM), then every CLOCK_LOOK_MASK + 1 rounds
            // while spinning and yielding, and before each park or sleep. The deadline counts from the first read.
            long deadline = 0;
            boolean deadlineSet = false;
            // No reset on entry: a receive that follows one that timed out keeps backing off where that one
            // stopped (a receive loop's steady idle cost stays one long park per wake-up); work restarts it.
            for (int idleRounds = 0; ; idleRounds++) {
                lifecycle.ensureOpen();
                int delivered = receiver.drain(handler, limit);
                if (delivered > 0) {
                    receiveIdle.idle(delivered);
                    return delivered;
                }
                // Past the spin and yield phases, with a peer that wakes us: sleep in the kernel instead of parking.
                boolean parking = receiveIdle.isParking();
                long remaining = Long.MAX_VALUE;
                if (parking || timeoutNanos <= 0 || (idleRounds & CLOCK_LOOK_MASK) == CLOCK_LOOK_MASK) {
                    long now = System.nanoTime();
                    if (!deadlineSet) {
                        deadline = deadlineAfter(now, timeoutNanos);
                        deadlineSet = true;
                    }
                    remaining = deadline - now;
                }
                boolean timedOut = remaining <= 0;
                boolean sleep = !timedOut && parking && receiveSleep.canSleep();
                // The peer's heartbeat (two loads, a clock read) is checked every 64 idle rounds while spinning and
                // yielding, keeping those tight (not in the first round: a frame usually comes within them); every 16
                // parks (≥ 1 µs, up to 4 ms) and at a verdict from outside; before each sleep in the kernel.
                // Only GONE throws: a stalled peer is waited for. (This method's bytecode stays under C2's inlining
                // limit for hot methods, 325 bytes: InliningBudgetTest.)
                checkPeerIfDue(timedOut || sleep, parking, idleRounds);
                if (timedOut) {
                    receiveIdle.waitEnded();
                    return 0;
                }
                if (waitOnce(sleep, parking, remaining, true)) {
                    return 0;  // another thread wants the ring: hand it over now (wakeSleepingReceive)
                }
            }
        }
        catch (IllegalStateException ex) {
            throw lifecycle.closedOr(ex);
        }
        finally {
            receiver.leave();
        }
    }

    /**
     * One idle round of a {@link #receive} or an {@link #awaitFrames}: a sleep in the kernel ({@code sleep}), a park of
     * the idle strategy ({@code parking}), or its spin or yield; true when {@link #wakeSleepingReceive()} cut the
     * sleep or park short. A receive's sleep is {@code keptWarm} (the heartbeat thread wakes it to look about once a
     * second, {@link SleepWatch}); an {@code awaitFrames} sleep, not on a first call's way, is not.
     */
    private boolean waitOnce(boolean sleep, boolean parking, long remaining, boolean keptWarm) {
        if (sleep) {
            receiveSleep.sleep(remaining, keptWarm);
            return receiveSleep.takeNudge();
        }
        if (parking) {
            return receivePark.park();
        }
        receiveIdle.idle(0);
        return false;
    }

    /**
     * Waits until the peer publishes a frame, {@code timeoutNanos} pass, the transport closes or
     * {@link #wakeSleepingReceive()} is called, without reading anything, so that another thread may
     * {@linkplain #poll poll} meanwhile: the wait of a thread that reads only after frames came (the session's
     * receive loop while idle, so that a caller reads its own answer without first waking that loop). Returns at
     * once when frames are waiting. With the wake extension in use ({@link #wakeExtensionActive()}) it sleeps in the
     * kernel until the peer's wake, checking that the peer lives before each sleep (the heartbeat thread wakes a sleep
     * when the peer is gone or published without waking, {@link SleepWatch}); without it
     * (a v1.0 peer, which never wakes anyone) it parks as a {@link #receive} would, looking at the ring and, every
     * 16 parks, at the peer's heartbeat between parks. One thread at a time waits, here or in {@link #receive}.
     *
     * @throws PeerDiedException when the peer is {@link PeerState#GONE}
     * @throws TransportClosedException when closed, also while waiting
     * @throws IllegalStateException when another thread sleeps in {@code awaitFrames} or {@code receive} now
     */
    public void awaitFrames(long timeoutNanos) {
        lifecycle.ensureOpen();
        try {
            long deadline = deadlineAfter(System.nanoTime(), timeoutNanos);
            for (int parks = 0; ; parks++) {
                boolean sleep = receiveSleep.canSleep();
                // before each sleep (SleepWatch ends one that should not last), every 16 parks, as a receive does
                checkPeerIfDue(sleep, true, parks);
                boolean nudged = !receiveSleep.framesWaiting() && waitOnce(sleep, true, deadline - System.nanoTime(), false);
                lifecycle.ensureOpen();
                if (nudged || receiveSleep.framesWaiting()) {
                    return;
                }
                if (System.nanoTime() - deadline >= 0) {
                    receiveIdle.waitEnded();
                    return;
                }
            }
        }
        catch (IllegalStateException ex) {
            throw lifecycle.closedOr(ex);
        }
    }

    /**
     * Makes a {@link #receive} that sleeps in the kernel now (wake extension in use), or is parked by the idle
     * strategy (a peer without it), return 0 at once instead of waiting on until a frame or its timeout, and an
     * {@link #awaitFrames} return; does nothing, and makes no system call, when nobody sleeps or parks. For a thread
     * that wants to {@linkplain #poll read} itself while another thread idles in {@code receive} (the session's
     * blocking callers after an idle period), or to end a wait for frames (a session that stops). Any thread.
     *
     * @return whether a receive or an {@code awaitFrames} was asleep in the kernel or parked, and has been woken
     */
    public boolean wakeSleepingReceive() {
        if (lifecycle.isClosed()) {
            return false;  // closed: no receive sleeps, and the mapping may be gone
        }
        try {
            return receiveSleep.nudge() || receivePark.nudge();
        }
        catch (IllegalStateException closedMeanwhile) {
            return false;  // closed by another thread (its receive loop ending the session) since the check above
        }
    }

    /**
     * Whether the peer's heartbeat moved within the liveness timeout ({@link PeerState#isAlive()}); a peer
     * not started yet is alive.
     */
    public boolean isPeerAlive() {
        return peerState().isAlive();
    }

    /**
     * The peer's state: {@link PeerState#ALIVE} while its heartbeat moves, {@link PeerState#STALLED} when it
     * has not moved for the liveness timeout, {@link PeerState#GONE} once {@linkplain #markPeerGone told} or
     * (unwatched peer) stalled beyond {@link ShmOptions#peerGoneAfter()}. Cheap: two loads and a clock read.
     *
     * @throws TransportClosedException when closed
     */
    public PeerState peerState() {
        lifecycle.ensureOpen();
        try {
            return liveness.state();
        }
        catch (IllegalStateException ex) {
            throw lifecycle.closedOr(ex);
        }
    }

    /**
     * How long the peer's heartbeat has not moved (its {@code last_seen} and {@code epoch} unchanged), in
     * nanoseconds of this process's monotonic clock, or -1 when it has not started yet. The peer's wall
     * clock is never compared with ours.
     */
    public long peerHeartbeatAgeNanos() {
        lifecycle.ensureOpen();
        try {
            return liveness.stillForNanos();
        }
        catch (IllegalStateException ex) {
            throw lifecycle.closedOr(ex);
        }
    }

    /**
     * The peer's process is gone (its exit was seen): from now on the peer is {@link PeerState#GONE}, a
     * receive (also one sleeping now) and a send waiting for room throw {@link PeerDiedException} with
     * {@code reason}. Idempotent (the first reason stays); a no-op once closed.
     */
    public void markPeerGone(String reason) {
        Objects.requireNonNull(reason, "reason");
        liveness.markGone(reason);
        if (lifecycle.isClosed()) {
            return;
        }
        try {
            receiveSleep.interrupt();  // a receive sleeping in the kernel wakes and sees the verdict
        }
        catch (IllegalStateException ex) {
            // closed meanwhile: nothing to wake
        }
    }

    /**
     * The caller watches the peer's process and calls {@link #markPeerGone} when it exits: a stall alone
     * never makes the peer {@link PeerState#GONE} any more ({@link ShmOptions#peerGoneAfter()} is off).
     */
    public void peerProcessWatched() {
        liveness.peerProcessWatched();
    }

    /** Live counters and gauges; usable after close (gauges then read 0). */
    public TransportStats stats() {
        return stats;
    }

    /**
     * Whether the wake extension is in use: both peers advertise it in the segment header
     * ({@code docs/wake-extension.md}), so an idle receiver sleeps in the kernel and the sender wakes it.
     * A host sees it once the plugin has opened the segment.
     */
    public boolean wakeExtensionActive() {
        lifecycle.ensureOpen();
        try {
            return wakeFlags.active();
        }
        catch (IllegalStateException ex) {
            throw lifecycle.closedOr(ex);
        }
    }

    /** Whether {@link #close} was called. */
    public boolean isClosed() {
        return lifecycle.isClosed();
    }

    /**
     * Stops the heartbeat and unmaps the file. Idempotent. A concurrent {@link #receive} wakes and
     * throws {@link TransportClosedException}; a handler still running gets up to 200 ms to return
     * before the mapping goes, then this side's lock on the file is released. The file itself stays
     * ({@link #removeSegmentFile}).
     */
    @Override
    public void close() {
        if (!lifecycle.close()) {
            return;
        }
        try {
            receiveSleep.interrupt();  // a receive sleeping in the kernel wakes and sees the closed flag
            receivePark.nudge();  // so does one parked by the idle strategy, or an awaitFrames parked without the role
        }
        catch (IllegalStateException ex) {
            // cannot happen before the arena closes below; nothing to wake then
        }
        heartbeat.stop();
        receiveIdle.close();  // a receiving thread bound to a busy CPU gets its affinity back
        long quiesce = System.nanoTime() + CLOSE_QUIESCE_NANOS;
        receiver.awaitQuiescence(quiesce);
        receiver.publishConsumedIfIdle();
        receiveSleep.awaitNoSleeper(quiesce);  // an awaitFrames, woken above, leaves the mapping first
        // A send that took a slot returns it before the mapping goes; sends see the closed flag within one idle
        // round, so this bound only matters for a sender the OS does not schedule.
        long sendsDeadline = System.nanoTime() + CLOSE_SENDS_NANOS;
        lifecycle.awaitSends(sendsDeadline);
        sender.awaitLockedSends(sendsDeadline);  // inline sends, which do not register with the lifecycle
        try {
            closeArena();
        }
        finally {
            file.release();
        }
    }

    @Override
    public String toString() {
        return lifecycle.isClosed() ? name + " (closed)" : name;
    }

    MemorySegment segment() {
        return segment;
    }

    /** Test seam: this side's heartbeat writer. */
    Heartbeat heartbeat() {
        return heartbeat;
    }

    SlotPool slots() {
        return slots;
    }

    /** Times the receiver went to sleep in {@code FUTEX_WAIT} (wake extension). */
    long futexSleeps() {
        return receiveSleep.sleeps();
    }

    /** How the receiver's last {@code FUTEX_WAIT} ended ({@link Futex#WOKEN} etc.), -1 before the first. */
    int lastFutexSleepResult() {
        return receiveSleep.lastResult();
    }

    /**
     * {@code now + timeoutNanos}, the timeout capped so that the sum never overflows: Long.MAX_VALUE / 4 ns is about
     * 73 years.
     */
    private static long deadlineAfter(long now, long timeoutNanos) {
        return now + Math.clamp(timeoutNanos, 0, Long.MAX_VALUE / 4);
    }

    /**
     * A waiting receive's look at the peer, {@code now} or when due by its idle round (see {@link #receive}); throws
     * {@link PeerDiedException} when the peer is gone.
     */
    private void checkPeerIfDue(boolean now, boolean parking, int idleRounds) {
        int mask = parking ? PARKING_LIVENESS_CHECK_MASK : LIVENESS_CHECK_MASK;
        if (now || (idleRounds & mask) == mask || (parking && liveness.markedGone())) {
            // lazySet: written by the receiving or the frame-awaiting thread (one of each at most), read by tests.
            livenessChecks.lazySet(livenessChecks.get() + 1);
            liveness.check();
        }
    }

    /** Times a receive checked the peer's heartbeat while waiting. */
    /** Whether the receiving thread is bound to a busy CPU for its long idle now ({@link BusyCpuParking}). */
    boolean receiveBoundToBusyCpu() {
        return receiveIdle.isBound();
    }

    long livenessChecks() {
        return livenessChecks.get();
    }

    /** Times the heartbeat thread woke a receive asleep in the kernel to keep it warm ({@link SleepWatch}). */
    long sleepWatchWarmLooks() {
        return sleepWatch.warmLooks();
    }

    /** Times the heartbeat thread woke a receive asleep in the kernel for frames or a death ({@link SleepWatch}). */
    long sleepWatchWakes() {
        return sleepWatch.wakes();
    }

    /** Times a sender yielded before its {@code FUTEX_WAKE}: an answer to the wake-up that ended our receive's sleep. */
    long yieldsBeforeWake() {
        return sendWake.yields();
    }

    /** How recent that wake-up must be for the yield ({@link ProducerWake#ANSWER_WINDOW_NANOS} unless a test sets it). */
    void yieldBeforeWakeWindow(long nanos) {
        sendWake.answerWindow(nanos);
    }

    /**
     * How many times a send found the peer's receiver asleep in the kernel (or about to sleep) and woke it, since this
     * transport opened: always 0 unless both peers run the wake extension. A reader that sees it move since its last
     * look knows that the peer's receiving thread was just woken, and on a machine with few cores probably onto the
     * waking thread's own core, where spinning for the answer only holds it off. Any thread.
     */
    public long futexWakes() {
        return sendWake.wakes();
    }

    /**
     * Moves the calling thread off the CPU it runs on now to another one it may run on, leaving its affinity as it was;
     * false, having changed nothing, where it cannot (not Linux, no native calls, one CPU allowed, a refusal). For the
     * one thread that reads at a time (a caller reading its own answer) when its answers come only after it gave its
     * core to the peer's receiving thread while another core idles: the two share a core, neither blocks, and the
     * kernel leaves them so for tens of milliseconds, each call then paying a spin and two hand-overs of the core.
     * The first move in a JVM links the native calls (milliseconds) unless the wake extension's warm-up did (it does so in
     * every JVM where both peers run the extension).
     */
    public boolean moveCallerToAnotherCpu() {
        return callerHop.hop();
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
                    Log.LOG.log(System.Logger.Level.WARNING, "could not unmap {0}: {1}", path, ex.toString());
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
}
