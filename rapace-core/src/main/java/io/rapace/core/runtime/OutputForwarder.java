package io.rapace.core.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Copies a child process's output stream byte for byte to a console stream of this process while keeping its
 * tail, on a daemon thread of its own. The console stream is looked up at each write, so that output reaches
 * a {@code System.out} replaced meanwhile (a test's capture). The thread ends when the stream does: once every
 * process holding its write end (the child, and any child of its own that inherited it) has exited or closed it.
 * Reading all the time, it never lets the child block on a full pipe (unless the console itself blocks, as it
 * would have blocked the child writing to it directly).
 */
final class OutputForwarder {

    private static final int CHUNK = 8192;

    private final Thread thread;

    private OutputForwarder(Thread thread) {
        this.thread = thread;
    }

    /** Starts copying {@code source} to {@code console} and into {@code tail}. */
    static OutputForwarder start(InputStream source, Supplier<PrintStream> console, OutputTail tail,
            String threadName) {
        Thread thread = Thread.ofPlatform().daemon().name(threadName).unstarted(() -> copy(source, console, tail));
        thread.start();
        return new OutputForwarder(thread);
    }

    /** Waits up to {@code timeout} for the stream to end and every byte to be forwarded; true when it has. */
    boolean awaitEnd(Duration timeout) {
        try {
            return this.thread.join(timeout);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return !this.thread.isAlive();
        }
    }

    private static void copy(InputStream source, Supplier<PrintStream> console, OutputTail tail) {
        byte[] buffer = new byte[CHUNK];
        try (source) {
            for (int read = source.read(buffer); read >= 0; read = source.read(buffer)) {
                tail.append(buffer, 0, read);
                PrintStream out = console.get();
                out.write(buffer, 0, read);
                out.flush();
            }
        }
        catch (IOException ex) {
            // The stream was closed under us: there is nothing more to read.
        }
    }
}
