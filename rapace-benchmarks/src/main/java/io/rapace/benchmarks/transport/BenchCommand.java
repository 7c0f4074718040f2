package io.rapace.benchmarks.transport;

/** What the benchmark host asks its peer to do with a frame, carried in the frame's method id. */
final class BenchCommand {

    /** Send the payload back with the peer's receive time at bytes 8..16. */
    static final int ECHO = 1;

    /** Read the payload and count it. */
    static final int SINK = 2;

    /** Answer with the number of SINK frames since the last SINK_END (8 bytes, little-endian). */
    static final int SINK_END = 3;

    /** Stop the peer. */
    static final int QUIT = 4;

    private BenchCommand() {
    }
}
