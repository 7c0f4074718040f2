package io.rapace.spring.boot.host;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Forwards a plugin process's standard output (INFO) and standard error (WARN) line by line to the logger
 * {@code rapace.plugin.<name>}, and keeps its last lines for the failure report. One reader thread per stream;
 * both end when the process closes its streams.
 */
final class PluginOutput {

    /** How many of the last lines are kept. */
    static final int KEPT_LINES = 20;

    private final Log log;

    private final ArrayDeque<String> lastLines = new ArrayDeque<>(KEPT_LINES);

    private final List<Thread> readers = new ArrayList<>(2);

    PluginOutput(String pluginName) {
        this.log = LogFactory.getLog("rapace.plugin." + pluginName);
    }

    /**
     * Starts reading {@code process}'s two streams (both must be pipes), each on a platform thread of its own: a
     * read blocks in the kernel for the process's whole life, which on a virtual thread holds a carrier of the
     * scheduler (it may not grow), and the supervision's other work could then wait for one.
     */
    void attach(Process process, String threadPrefix) {
        this.readers.add(Thread.ofPlatform().daemon().name(threadPrefix + "-stdout")
            .start(() -> pump(process.getInputStream(), false)));
        this.readers.add(Thread.ofPlatform().daemon().name(threadPrefix + "-stderr")
            .start(() -> pump(process.getErrorStream(), true)));
    }

    /** Waits up to {@code millis} for both streams to end, so that the last lines are all in. */
    void awaitEnd(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (Thread reader : this.readers) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                reader.join(java.time.Duration.ofNanos(left));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The last lines written, oldest first. */
    List<String> lastLines() {
        synchronized (this.lastLines) {
            return List.copyOf(this.lastLines);
        }
    }

    private void pump(InputStream stream, boolean error) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                keep(line);
                if (error) {
                    this.log.warn(line);
                }
                else {
                    this.log.info(line);
                }
            }
        }
        catch (IOException | UncheckedIOException ex) {
            // the stream was closed under us (process gone): nothing more to read
        }
    }

    private void keep(String line) {
        synchronized (this.lastLines) {
            if (this.lastLines.size() == KEPT_LINES) {
                this.lastLines.removeFirst();
            }
            this.lastLines.addLast(line);
        }
    }
}
