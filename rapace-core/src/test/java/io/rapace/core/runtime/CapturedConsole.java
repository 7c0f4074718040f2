package io.rapace.core.runtime;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;

/** Replaces {@code System.out} and {@code System.err} with buffers until closed, for a test to read them. */
final class CapturedConsole implements AutoCloseable {

    private final PrintStream originalOut = System.out;

    private final PrintStream originalErr = System.err;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private CapturedConsole() {
        // The console handler of java.util.logging takes System.err when it is made: made now, it keeps the real one.
        Logger.getLogger("").getHandlers();
        System.setOut(new PrintStream(this.out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(this.err, true, StandardCharsets.UTF_8));
    }

    static CapturedConsole start() {
        return new CapturedConsole();
    }

    /** What was written to {@code System.out} so far. */
    String out() {
        synchronized (this.out) {
            return this.out.toString(StandardCharsets.UTF_8);
        }
    }

    /** What was written to {@code System.err} so far. */
    String err() {
        synchronized (this.err) {
            return this.err.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        System.setOut(this.originalOut);
        System.setErr(this.originalErr);
    }
}
