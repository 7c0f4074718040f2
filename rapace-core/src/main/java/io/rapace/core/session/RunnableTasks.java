package io.rapace.core.session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.jspecify.annotations.Nullable;

/**
 * How many tasks the machine has runnable right now (running or waiting for a core), the reader included: Linux's
 * {@code nr_running}, the numerator of the fourth field of {@code /proc/loadavg} ({@code "0.98 0.89 0.98 3/345
 * 12345\n"}). The file is opened once per JVM and read again from its start at each reading (the kernel writes it
 * afresh then), into buffers of this instance made at its first reading: a reading allocates nothing after that,
 * since it is taken on a caller's thread ({@link LeadSpin}), whose calls allocate nothing. A reading is a system call
 * (a few µs on a VM), so it is taken only when a caller suspects that it shares its core with the peer, never on the
 * fast path. Machine-wide: in a container limited to fewer CPUs than the machine has, other tenants' tasks count too.
 * Not thread-safe: one reader at a time.
 */
final class RunnableTasks {

    /** The reading when there is none: not Linux, no {@code /proc}. */
    static final int UNKNOWN = -1;

    /** The file's text is about 30 bytes; a longer one is cut here, after the field read. */
    private static final int MAX_TEXT = 128;

    /** Made at the first reading: a session whose callers never share a core with the peer never needs them. */
    private @Nullable ByteBuffer buffer;

    private byte @Nullable [] text;

    /** The machine's runnable tasks now, or {@link #UNKNOWN}. */
    int now() {
        FileChannel file = LoadAvg.FILE;
        if (file == null) {
            return UNKNOWN;
        }
        ByteBuffer buffer = this.buffer;
        byte[] text = this.text;
        if (buffer == null || text == null) {
            buffer = ByteBuffer.allocateDirect(MAX_TEXT);
            text = new byte[MAX_TEXT];
            this.buffer = buffer;
            this.text = text;
        }
        buffer.clear();
        try {
            while (buffer.hasRemaining() && file.read(buffer, buffer.position()) > 0) {
                // read on: /proc files may come in pieces
            }
        }
        catch (IOException | RuntimeException ex) {
            return UNKNOWN;
        }
        int length = buffer.flip().remaining();
        buffer.get(text, 0, length);
        return (int) runnableOf(text, length);
    }

    /**
     * The number before the {@code /} of the fourth space-separated field of a {@code loadavg} line in
     * {@code loadavg[0, length)}, or {@link #UNKNOWN}.
     */
    static long runnableOf(byte[] loadavg, int length) {
        int at = 0;
        for (int spaces = 0; spaces < 3; at++) {
            if (at == length) {
                return UNKNOWN;
            }
            if (loadavg[at] == ' ') {
                spaces++;
            }
        }
        long value = 0;
        int from = at;
        for (; at < length && loadavg[at] >= '0' && loadavg[at] <= '9' && at - from < 9; at++) {
            value = value * 10 + (loadavg[at] - '0');
        }
        return at > from && at < length && loadavg[at] == '/' ? value : UNKNOWN;
    }

    /** {@code /proc/loadavg}, opened at the first reading in this JVM, or null where it cannot be. */
    private static final class LoadAvg {

        static final @Nullable FileChannel FILE = open();

        private LoadAvg() {
        }

        private static @Nullable FileChannel open() {
            try {
                return FileChannel.open(Path.of("/proc/loadavg"), StandardOpenOption.READ);
            }
            catch (IOException | RuntimeException ex) {
                return null;
            }
        }
    }
}
