package io.rapace.core.session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * A Linux {@code /proc} file read for one number ({@link RunQueueWait}, {@link VoluntarySwitches},
 * {@link RunnableTasks}), kept open between readings and read again from its start each time (the kernel writes it
 * afresh then) into buffers made at the first reading. The readers are the thread that holds the ring
 * ({@link InlineHandlers}) and callers ({@link RunnableTasks}), whose calls allocate nothing; so does a reading, unless
 * a file of the reading thread ({@code /proc/thread-self}, which names the thread that opens it) has to be opened
 * again, its earlier opening closed, because another thread reads it. Once the file could not be opened (not Linux,
 * no {@code /proc}), none is tried again; a reading that failed once it was open is unknown, and the next opens the
 * file anew. A reading is a system call (a thread's {@code status}: 7-9 µs on a 2-core VM, 14-25 µs when opened and
 * closed each time), so it is for runs already suspected, never for the fast path. Readings and {@link #close} lock
 * the instance: one at a time, and none opens the file again once closed.
 */
final class ProcFile implements AutoCloseable {

    /** What a reading finds in the file's text: a number, or the reader's own value for none. */
    @FunctionalInterface
    interface Parser {

        /** The number found in {@code text[0, length)}. */
        long parse(byte[] text, int length);
    }

    /** A {@code /proc/thread-self/status} is about 1.4 kB on Linux 6; a longer text makes both buffers grow. */
    static final int FIRST_CAPACITY = 4096;

    /** A text longer than this is cut here (no {@code /proc} file read here comes near it). */
    static final int MAX_CAPACITY = 1 << 16;

    private final Path path;

    /** The file describes the thread that opened it ({@code /proc/thread-self}). */
    private final boolean ofReadingThread;

    private final Parser parser;

    /** What a reading gives when there is nothing to parse. */
    private final long unknown;

    /** The open file, or null before the first reading, after a failed one, and once closed. */
    private @Nullable FileChannel file;

    /** The thread that opened {@link #file}: for a file of the reading thread, only it may read that opening. */
    private @Nullable Thread opener;

    private @Nullable ByteBuffer buffer;

    private byte @Nullable [] text;

    /** Set once the file could not be opened: never tried again. */
    private boolean absent;

    private boolean closed;

    ProcFile(Path path, boolean ofReadingThread, Parser parser, long unknown) {
        this.path = path;
        this.ofReadingThread = ofReadingThread;
        this.parser = parser;
        this.unknown = unknown;
    }

    /**
     * The file {@code /proc/thread-self/name}, whose number {@code parser} finds or which gives {@code unknown}; read on
     * a virtual thread, it gives {@code unknown}.
     */
    static ProcFile ofReadingThread(String name, Parser parser, long unknown) {
        return new ProcFile(Path.of("/proc/thread-self", name), true, parser, unknown);
    }

    /**
     * The number the parser finds in the file's text, or the unknown value when there is no file to read, the reading
     * failed, the file was closed, or the file is a thread's own and the reader a virtual thread.
     */
    synchronized long read() {
        Thread reader = Thread.currentThread();
        // A virtual thread's carrier may change between two readings: they would be of two different threads.
        if (this.absent || this.closed || (this.ofReadingThread && reader.isVirtual())) {
            return this.unknown;
        }
        try {
            FileChannel open = openFor(reader);
            if (open == null) {
                return this.unknown;
            }
            ByteBuffer filled = readAll(open);
            int length = filled.remaining();
            return this.parser.parse(textOf(filled), length);
        }
        catch (IOException | RuntimeException ex) {
            // A reading that failed (the file's thread gone, an interrupt closing the channel) is unknown this time;
            // the next opens the file again.
            closeFile();
            return this.unknown;
        }
    }

    /** Closes the file for good: later readings give their unknown value. */
    @Override
    public synchronized void close() {
        this.closed = true;
        closeFile();
    }

    /**
     * The file opened for {@code reader}, opened now if need be; null when it cannot be opened (then never tried
     * again).
     */
    private @Nullable FileChannel openFor(Thread reader) throws IOException {
        FileChannel open = this.file;
        if (open != null && (!this.ofReadingThread || this.opener == reader)) {
            return open;
        }
        closeFile();
        try {
            open = FileChannel.open(this.path);
        }
        catch (IOException | UnsupportedOperationException ex) {
            // Missing (not Linux, no /proc) or not to be opened here: the same next time.
            this.absent = true;
            return null;
        }
        this.file = open;
        this.opener = reader;
        return open;
    }

    /** Reads the whole text from the file's start into {@link #buffer} (grown to hold it), flipped to it. */
    private ByteBuffer readAll(FileChannel open) throws IOException {
        ByteBuffer into = this.buffer;
        if (into == null) {
            into = ByteBuffer.allocateDirect(FIRST_CAPACITY);
            this.buffer = into;
        }
        while (true) {
            into.clear();
            while (into.hasRemaining() && open.read(into, into.position()) > 0) {
                // read on: /proc files may come in pieces
            }
            if (into.hasRemaining() || into.capacity() == MAX_CAPACITY) {
                return into.flip();
            }
            into = ByteBuffer.allocateDirect(Math.min(MAX_CAPACITY, into.capacity() * 2));
            this.buffer = into;
        }
    }

    /** The text read, copied into {@link #text} (made or grown to hold it) from its start. */
    private byte[] textOf(ByteBuffer filled) {
        byte[] into = this.text;
        if (into == null || into.length < filled.capacity()) {
            into = new byte[filled.capacity()];
            this.text = into;
        }
        filled.get(0, into, 0, filled.remaining());
        return into;
    }

    private void closeFile() {
        FileChannel open = this.file;
        this.file = null;
        this.opener = null;
        if (open != null) {
            try {
                open.close();
            }
            catch (IOException ex) {
                // nothing to do: the descriptor is released either way
            }
        }
    }

    /**
     * The unsigned decimal number that starts at {@code from} in {@code text[0, length)} and ends at the text's end, a
     * newline, or (with {@code spaceEnds}) a space; -1 when there is no digit there, something else follows the digits,
     * or the number has more than 18 digits (beyond any real count: a long would overflow soon after).
     */
    static long decimalAt(byte[] text, int length, int from, boolean spaceEnds) {
        long value = 0;
        int at = from;
        for (; at < length && text[at] >= '0' && text[at] <= '9'; at++) {
            if (at - from == 18) {
                return -1;
            }
            value = value * 10 + (text[at] - '0');
        }
        boolean ended = at == length || text[at] == '\n' || (spaceEnds && text[at] == ' ');
        return at > from && ended ? value : -1;
    }
}
