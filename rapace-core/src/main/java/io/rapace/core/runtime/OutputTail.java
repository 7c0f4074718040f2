package io.rapace.core.runtime;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The last bytes written on one output stream of a process, in a ring of fixed size: what a start-up failure
 * report shows of it. Thread-safe: the stream's reader appends, anyone reads.
 */
final class OutputTail {

    private final byte[] ring;

    private long written;

    OutputTail(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be > 0, was " + capacity);
        }
        this.ring = new byte[capacity];
    }

    /** Keeps {@code bytes[offset, offset + length)}, dropping the oldest bytes beyond the capacity. */
    synchronized void append(byte[] bytes, int offset, int length) {
        int capacity = this.ring.length;
        int skip = Math.max(0, length - capacity);
        for (int i = skip; i < length; i++) {
            this.ring[(int) ((this.written + i) % capacity)] = bytes[offset + i];
        }
        this.written += length;
    }

    /** The bytes kept so far, oldest first. */
    synchronized byte[] bytes() {
        int capacity = this.ring.length;
        int kept = (int) Math.min(this.written, capacity);
        byte[] copy = new byte[kept];
        int start = (int) ((this.written - kept) % capacity);
        for (int i = 0; i < kept; i++) {
            copy[i] = this.ring[(start + i) % capacity];
        }
        return copy;
    }

    /** Whether older bytes were dropped, so that the first line kept may be the end of a longer one. */
    synchronized boolean truncated() {
        return this.written > this.ring.length;
    }

    /** The last lines, as {@link TailLines#of} makes them. */
    List<String> lastLines(int maxLines) {
        byte[] kept;
        boolean cut;
        synchronized (this) {
            kept = bytes();
            cut = truncated();
        }
        return TailLines.of(new String(kept, StandardCharsets.UTF_8), cut, maxLines);
    }

    /** The last lines of {@code file}, reading at most its last {@code maxBytes}. */
    static List<String> lastLinesOf(Path file, int maxBytes, int maxLines) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            int read = (int) Math.min(length, maxBytes);
            byte[] end = new byte[read];
            in.seek(length - read);
            in.readFully(end);
            return TailLines.of(new String(end, StandardCharsets.UTF_8), read < length, maxLines);
        }
    }
}
