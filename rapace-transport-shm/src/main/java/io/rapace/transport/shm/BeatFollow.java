package io.rapace.transport.shm;

import java.lang.foreign.MemorySegment;

import io.rapace.transport.shm.layout.SegmentLayout;
import org.jspecify.annotations.Nullable;

/**
 * Beat follow (docs/wake-extension.md section 12): the plugin's heartbeat thread sleeps in {@code FUTEX_WAIT} on the
 * header's {@code beat_seq} and beats right after the host's timed beat, which adds 1 to that word and wakes it. On a
 * VM a thread's wake-up by its own timer after an idle 400 ms costs several hundred µs of CPU, one that follows
 * another thread's wake-up on a processor already running a fraction of that. Measured between two JVMs
 * (docs/performance-notes.md, "Beat follow"): the plugin's heartbeat thread about a third cheaper, the host's a tenth
 * to a fifth dearer, and the first call after an idle period sooner.
 *
 * <p>Advertised by {@link SegmentLayout#FLAG_BEAT_WAKE_A} (the host, at creation) and
 * {@link SegmentLayout#FLAG_BEAT_FOLLOW_B} (the plugin, by CAS-OR, only after the host's bit); used only when both are
 * set. The plugin keeps its own timer as a backstop ({@link #backstopNanos}), so a host that stalls, stops waking or
 * dies never delays its beats past spec §3's 500 ms. The system property {@code rapace.shm.beat-follow=false}
 * turns it off on either side (for measurements): a host then does not advertise it, a plugin does not follow.
 */
final class BeatFollow {

    /** Neither side follows nor wakes: a v1.0 peer, the extension off, or futexes unavailable. */
    static final BeatFollow NONE = new BeatFollow(null, false);

    private static final boolean ON = !"false".equals(System.getProperty("rapace.shm.beat-follow"));

    /** The header's segment, or null for {@link #NONE}. */
    private final @Nullable MemorySegment segment;
    /** The {@code beat_seq} word (aligned slice), or null for {@link #NONE}. */
    private final @Nullable MemorySegment word;
    /** True for the host's side (it wakes), false for the plugin's (it follows: it set its bit after the host's). */
    private final boolean host;
    /** The host's side: both bits seen once (bits are never cleared); racy re-reads until then are harmless. */
    private volatile boolean bothSeen;

    private BeatFollow(@Nullable MemorySegment segment, boolean host) {
        this.segment = segment;
        this.word = segment != null ? Futex.word(segment, SegmentLayout.BEAT_SEQ_OFFSET) : null;
        this.host = host;
    }

    /** The bit a host with its extensions on writes at creation: {@code BEAT_WAKE_A} where futexes work, else 0. */
    static int hostBit() {
        return ON && Futex.isAvailable() ? SegmentLayout.FLAG_BEAT_WAKE_A : 0;
    }

    /** The host's side: it wakes a following plugin after its timed beats when it advertised the bit. */
    static BeatFollow forHost(SegmentHeaderView header, MemorySegment segment) {
        return (header.flagsAcquire() & SegmentLayout.FLAG_BEAT_WAKE_A) == 0 ? NONE : new BeatFollow(segment, true);
    }

    /**
     * The plugin's side: with {@code extensions} on, futexes working and the host's {@code BEAT_WAKE_A} set, sets
     * {@code BEAT_FOLLOW_B} and follows; otherwise writes nothing and beats by its own timer.
     */
    static BeatFollow forPlugin(SegmentHeaderView header, MemorySegment segment, boolean extensions) {
        // The host's bit first: a v1.0 host's header is never written, and its plugin never links a native call here.
        if (!extensions || !ON || (header.flagsAcquire() & SegmentLayout.FLAG_BEAT_WAKE_A) == 0 || !Futex.isAvailable()) {
            return NONE;
        }
        header.orFlagsIfSet(SegmentLayout.FLAG_BEAT_WAKE_A, SegmentLayout.FLAG_BEAT_FOLLOW_B);
        return new BeatFollow(segment, false);
    }

    /** Whether this is a following plugin's side: its heartbeat sleeps on {@link #word()}. */
    boolean follows() {
        return !this.host && this.segment != null;
    }

    /**
     * The plugin's own timer while it follows: {@code interval} plus an eighth, so that the host's wake-up (due at the
     * same interval) comes first, and a beat still comes within spec §3's 500 ms at the default 400 ms interval when
     * none does.
     */
    static long backstopNanos(long intervalNanos) {
        return intervalNanos + (intervalNanos >> 3);
    }

    /**
     * The host's side, after a beat its timer wrote: adds 1 to {@code beat_seq} and wakes its sleepers, once both bits
     * were seen (acquire re-reads of the flags until then).
     */
    void afterTimedBeat(SegmentHeaderView header) {
        if (!this.host) {
            return;
        }
        if (!this.bothSeen) {
            if ((header.flagsAcquire() & SegmentLayout.FLAGS_BEAT_BOTH) != SegmentLayout.FLAGS_BEAT_BOTH) {
                return;
            }
            this.bothSeen = true;
        }
        bumpAndWake();
    }

    /**
     * The value to sleep on, read before the sleep (acquire: pairs with the host's atomic add, so that a beat after
     * this read makes the sleep return at once, section 12).
     */
    int seq() {
        return Mem.getIntAcquire(mapped(), SegmentLayout.BEAT_SEQ_OFFSET);
    }

    /** The {@code beat_seq} word to sleep on. */
    MemorySegment word() {
        MemorySegment beatWord = this.word;
        if (beatWord == null) {
            throw new IllegalStateException("no beat follow on this segment");
        }
        return beatWord;
    }

    /**
     * Ends this process's heartbeat thread's sleep on {@code beat_seq} (a heartbeat added or stopped): adds 1 and
     * wakes, as the host's beat would. The host never reads the word's value, so the peer sees nothing.
     */
    void nudge() {
        if (this.segment != null) {
            bumpAndWake();
        }
    }

    /** Adds 1 to {@code beat_seq} and wakes every sleeper on it: one {@code FUTEX_WAKE_OP} (wake-extension.md §3). */
    private void bumpAndWake() {
        Futex.bumpAndWake(mapped(), SegmentLayout.BEAT_SEQ_OFFSET, word(), Integer.MAX_VALUE);
    }

    private MemorySegment mapped() {
        MemorySegment mappedSegment = this.segment;
        if (mappedSegment == null) {
            throw new IllegalStateException("no beat follow on this segment");
        }
        return mappedSegment;
    }
}
