package io.rapace.core.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.ToLongFunction;

/**
 * A Linux {@code /proc} file read for one number ({@link RunQueueWait}, {@link VoluntarySwitches}): once a read
 * failed for want of the file (not Linux, no {@code /proc}), none is tried again. Each read opens, reads and closes
 * the file, tens of µs on a VM, so it is for runs already suspected, never for the fast path.
 */
final class ProcFile {

    private final Path path;

    /** The file describes the thread that reads it ({@code /proc/thread-self}). */
    private final boolean ofReadingThread;

    /** Set once a read failed; racy: a retry is harmless. */
    private boolean absent;

    ProcFile(Path path, boolean ofReadingThread) {
        this.path = path;
        this.ofReadingThread = ofReadingThread;
    }

    /** The file {@code /proc/thread-self/name}: read on a virtual thread, it gives nothing. */
    static ProcFile ofReadingThread(String name) {
        return new ProcFile(Path.of("/proc/thread-self", name), true);
    }

    /**
     * The number {@code parse} finds in the file's text, or {@code unknown} when there is no file to read (or the file
     * is a thread's own and the reader a virtual thread).
     */
    long read(ToLongFunction<byte[]> parse, long unknown) {
        // A virtual thread's carrier may change between two readings: they would be of two different threads.
        if (this.absent || (this.ofReadingThread && Thread.currentThread().isVirtual())) {
            return unknown;
        }
        try {
            return parse.applyAsLong(Files.readAllBytes(this.path));
        }
        catch (IOException | UnsupportedOperationException ex) {
            this.absent = true;
            return unknown;
        }
    }

    /**
     * The unsigned decimal number that starts at {@code from} in {@code text} and ends at the text's end, a newline, or
     * (with {@code spaceEnds}) a space; -1 when there is no digit there, something else follows the digits, or the
     * number has more than 18 digits (beyond any real count: a long would overflow soon after).
     */
    static long decimalAt(byte[] text, int from, boolean spaceEnds) {
        long value = 0;
        int at = from;
        for (; at < text.length && text[at] >= '0' && text[at] <= '9'; at++) {
            if (at - from == 18) {
                return -1;
            }
            value = value * 10 + (text[at] - '0');
        }
        boolean ended = at == text.length || text[at] == '\n' || (spaceEnds && text[at] == ' ');
        return at > from && ended ? value : -1;
    }
}
