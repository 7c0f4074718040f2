package io.rapace.transport.shm;

import io.rapace.transport.shm.layout.SegmentLayout;

/**
 * The wake extension's handshake in {@code SegmentHeader.flags}: whether this side runs the extension
 * (advertised by its bit) and whether it is in use (both bits set). Shared by the transport's
 * {@link ProducerWake} and {@link ConsumerSleep}.
 *
 * <p>The host's bit is fixed before the magic is published; the plugin's bit may appear at any time
 * after the host started, so the host re-reads the flags until it has seen both bits once (bits are
 * never cleared).
 */
final class WakeFlags {

    private final SegmentHeaderView header;
    /** This side runs the extension: option on, futex available and (for a plugin) the host runs it. */
    private final boolean enabled;
    /** Both bits seen once; monotonic, read by senders and the consumer. */
    private volatile boolean active;

    private WakeFlags(SegmentHeaderView header, boolean enabled) {
        this.header = header;
        this.enabled = enabled;
    }

    /** The wake bit a host running the extension writes at creation: {@code WAKE_A} where futexes work, else 0. */
    static int hostBit() {
        return Futex.isAvailable() ? SegmentLayout.FLAG_WAKE_A : 0;
    }

    /** The host's view: enabled when it advertised {@link SegmentLayout#FLAG_WAKE_A}. */
    static WakeFlags forHost(SegmentHeaderView header) {
        return new WakeFlags(header, (header.flagsAcquire() & SegmentLayout.FLAG_WAKE_A) != 0);
    }

    /**
     * The plugin's view: when {@code wakeExtension} is on and futexes work, sets
     * {@link SegmentLayout#FLAG_WAKE_B} if and only if the host set {@link SegmentLayout#FLAG_WAKE_A};
     * otherwise writes nothing.
     */
    static WakeFlags forPlugin(SegmentHeaderView header, boolean wakeExtension) {
        // The host's bit first (acquire: pairs with the host's release of the magic after its flags): a v1.0 host
        // never needs futexes, so the native linking (about 90 ms of CPU in a cold JVM) stays off the start-up.
        boolean hostRunsIt = (header.flagsAcquire() & SegmentLayout.FLAG_WAKE_A) != 0;
        if (!wakeExtension || !hostRunsIt || !Futex.isAvailable()) {
            return new WakeFlags(header, false);
        }
        int flags = header.orFlagsIfSet(SegmentLayout.FLAG_WAKE_A, SegmentLayout.FLAG_WAKE_B);
        WakeFlags wake = new WakeFlags(header, (flags & SegmentLayout.FLAGS_WAKE_BOTH) == SegmentLayout.FLAGS_WAKE_BOTH);
        wake.active = wake.enabled;
        return wake;
    }

    /** Whether this side runs the extension (may have to signal or sleep). */
    boolean enabled() {
        return enabled;
    }

    /** Whether both sides run it: re-reads the flags (acquire) until both bits were seen once. */
    boolean active() {
        if (active) {
            return true;
        }
        if (!enabled) {
            return false;
        }
        if ((header.flagsAcquire() & SegmentLayout.FLAGS_WAKE_BOTH) == SegmentLayout.FLAGS_WAKE_BOTH) {
            active = true;
            return true;
        }
        return false;
    }
}
