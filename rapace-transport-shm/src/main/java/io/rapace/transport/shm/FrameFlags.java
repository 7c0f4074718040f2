package io.rapace.transport.shm;

/** The frame flag bits of a descriptor's {@code flags} word (spec §2). */
public final class FrameFlags {

    /** The frame carries data (a request, response or stream item). */
    public static final int DATA = 0x01;

    /** A control frame (channel 0). */
    public static final int CONTROL = 0x02;

    /** End of stream: the last frame of the sender on this channel. */
    public static final int EOS = 0x04;

    /** Cancels the channel. */
    public static final int CANCEL = 0x08;

    /** The payload is an error payload. */
    public static final int ERROR = 0x10;

    /** Priority hint. */
    public static final int HIGH_PRIORITY = 0x20;

    /** The credit_grant field is meaningful. */
    public static final int CREDITS = 0x40;

    /** Headers only, no body. */
    public static final int METADATA_ONLY = 0x80;

    private FrameFlags() {
    }

    /** Names the set bits, e.g. {@code DATA|EOS}; unknown bits as hex; {@code 0} when none. */
    public static String describe(int flags) {
        if (flags == 0) {
            return "0";
        }
        StringBuilder out = new StringBuilder();
        String[] names = {"DATA", "CONTROL", "EOS", "CANCEL", "ERROR", "HIGH_PRIORITY", "CREDITS", "METADATA_ONLY"};
        for (int bit = 0; bit < names.length; bit++) {
            if ((flags & (1 << bit)) != 0) {
                out.append(out.isEmpty() ? "" : "|").append(names[bit]);
            }
        }
        int unknown = flags & ~0xFF;
        if (unknown != 0) {
            out.append(out.isEmpty() ? "" : "|").append("0x").append(Integer.toHexString(unknown));
        }
        return out.toString();
    }
}
