package io.rapace.transport.shm.layout;

/**
 * Layout of the 64-byte {@code SegmentHeader} at offset 0 of the segment.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  magic "RAPACE\0\0" (8 bytes)                 |
 *  +---------------------------------------------------------------+
 *  |      version (major &lt;&lt; 16 | minor)  |        flags            |
 *  +---------------------------------------------------------------+
 *  |                  peer_a_epoch (u64)                           |
 *  |                  peer_b_epoch (u64)                           |
 *  |                  peer_a_last_seen (u64, ns since Unix epoch)  |
 *  |                  peer_b_last_seen (u64, ns since Unix epoch)  |
 *  +---------------------------------------------------------------+
 *  |  beat_seq (u32, beat follow)   |  padding, zero (12 bytes)    |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Writer/reader: the host writes magic, version and flags once at creation (magic last, with
 * release); each peer writes only its own epoch and last-seen fields and reads the other's. The one
 * exception is {@link #FLAG_WAKE_B}, which a plugin running the wake extension ORs into the flags
 * (CAS) only when the host set {@link #FLAG_WAKE_A}, and {@link #FLAG_BEAT_FOLLOW_B} likewise after
 * {@link #FLAG_BEAT_WAKE_A}. A host with this project's extensions on writes {@link #FLAG_HOST_CLOSES_BY_REMOVAL},
 * and {@link #FLAG_WAKE_A} and {@link #FLAG_BEAT_WAKE_A} with it where futexes work; with them off, 0. The
 * {@link #BEAT_SEQ_OFFSET} word lies in the v1.0 padding: zero at creation, then only ever added to.
 */
public final class SegmentLayout {

    /** Length of the segment header in bytes. */
    public static final int LENGTH = 64;

    /** Offset of the 8-byte magic. */
    public static final int MAGIC_OFFSET = 0;

    /** Offset of the u32 version word, {@code major << 16 | minor}. */
    public static final int VERSION_OFFSET = 8;

    /** Offset of the u32 feature flags; 0 in v1.0, unknown bits are ignored. */
    public static final int FLAGS_OFFSET = 12;

    /**
     * Flags bit: the host (peer A) runs the wake extension ({@code docs/wake-extension.md}). Writer: the
     * host, with the other header fields before its release of the magic. Reader: the plugin, after its
     * acquire of the magic.
     */
    public static final int FLAG_WAKE_A = 0x1;

    /**
     * Flags bit: the plugin (peer B) runs the wake extension. Writer: the plugin, by an atomic
     * compare-and-set OR, only if it saw {@link #FLAG_WAKE_A} (a host that wrote 0 keeps 0). Reader: the
     * host, with acquire, after the full fence of each publish until it has seen it once.
     */
    public static final int FLAG_WAKE_B = 0x2;

    /** Both wake bits: the extension is in use (for both rings) only when both are set. */
    public static final int FLAGS_WAKE_BOTH = FLAG_WAKE_A | FLAG_WAKE_B;

    /**
     * Flags bit CLOSES_BY_REMOVAL: the host promises that it ends a session only by removing the segment file, no
     * longer mapping it, or exiting, so that a plugin may take its heartbeat standing still while its process runs for
     * a stall, not the end ({@code docs/wake-extension.md} section 11). Writer: the host, with the other header fields
     * before its release of the magic. Reader: the plugin, after its acquire of the magic. A plugin never writes it.
     */
    public static final int FLAG_HOST_CLOSES_BY_REMOVAL = 0x4;

    /**
     * Flags bit BEAT_WAKE_A: after each heartbeat its timer writes, the host adds 1 to {@link #BEAT_SEQ_OFFSET} and
     * wakes the sleepers on it, once the plugin has set {@link #FLAG_BEAT_FOLLOW_B} ({@code docs/wake-extension.md}
     * section 12). Writer: the host, with the other header fields before its release of the magic. Reader: the plugin,
     * after its acquire of the magic.
     */
    public static final int FLAG_BEAT_WAKE_A = 0x8;

    /**
     * Flags bit BEAT_FOLLOW_B: the plugin's heartbeat sleeps on {@link #BEAT_SEQ_OFFSET} and beats after the host's.
     * Writer: the plugin, by an atomic compare-and-set OR, only if it saw {@link #FLAG_BEAT_WAKE_A}. Reader: the host,
     * with acquire, after each of its timed beats until it has seen it once.
     */
    public static final int FLAG_BEAT_FOLLOW_B = 0x10;

    /** Both beat-follow bits: the host wakes the plugin's heartbeat only when both are set. */
    public static final int FLAGS_BEAT_BOTH = FLAG_BEAT_WAKE_A | FLAG_BEAT_FOLLOW_B;

    /**
     * Offset of the u32 {@code beat_seq} (beat follow, in the v1.0 padding; 4-byte aligned for {@code futex(2)}).
     * Writers: the host, an atomic add of 1 after each timed heartbeat while both beat-follow bits are set; the plugin,
     * an atomic add of 1 to end its own heartbeat thread's sleep on it. Reader: the plugin's heartbeat thread, which
     * sleeps on it in {@code FUTEX_WAIT}. Only its changes matter, never its value.
     */
    public static final int BEAT_SEQ_OFFSET = 48;

    /** Offset of peer A's (the host's) u64 heartbeat epoch. */
    public static final int PEER_A_EPOCH_OFFSET = 16;

    /** Offset of peer B's (the plugin's) u64 heartbeat epoch. */
    public static final int PEER_B_EPOCH_OFFSET = 24;

    /** Offset of peer A's u64 last heartbeat, wall-clock nanoseconds since the Unix epoch. */
    public static final int PEER_A_LAST_SEEN_OFFSET = 32;

    /** Offset of peer B's u64 last heartbeat, wall-clock nanoseconds since the Unix epoch. */
    public static final int PEER_B_LAST_SEEN_OFFSET = 40;

    /** The magic bytes {@code R A P A C E \0 \0}, read as one little-endian u64. */
    public static final long MAGIC = 0x0000_4543_4150_4152L;

    /** Major version of this layout. */
    public static final int VERSION_MAJOR = 1;

    /** Minor version of this layout. */
    public static final int VERSION_MINOR = 0;

    /** The version word written by a v1.0 host: {@code 0x00010000}. */
    public static final int VERSION = VERSION_MAJOR << 16 | VERSION_MINOR;

    private SegmentLayout() {
    }

    /** The major version of a version word. */
    public static int major(int version) {
        return version >>> 16;
    }

    /** The minor version of a version word. */
    public static int minor(int version) {
        return version & 0xFFFF;
    }
}
