package io.rapace.core.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/** The lines a child process prints, collected by a daemon thread as they come, for tests to wait on. */
final class ProcessOutput {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    // Closed when the stream ends: every process that shares it (children included) has exited or closed it.
    private final CountDownLatch ended = new CountDownLatch(1);

    private ProcessOutput() {
    }

    /** Starts collecting {@code process}'s standard output (merge standard error into it to see both). */
    static ProcessOutput of(Process process) {
        ProcessOutput output = new ProcessOutput();
        Thread.ofPlatform().daemon(true).name("test-output-" + process.pid()).start(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    output.lines.add(line);
                }
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            finally {
                output.ended.countDown();
            }
        });
        return output;
    }

    /** Waits up to {@code timeout} for a line starting with {@code prefix}; returns the rest of that line. */
    String awaitLine(String prefix, Duration timeout) {
        Awaitility.await("a line starting with '" + prefix + "' in:\n" + this).atMost(timeout)
                .until(() -> find(prefix).isPresent());
        return find(prefix).orElseThrow().substring(prefix.length());
    }

    /** Waits up to {@code timeout} for the end of the stream; true when it ended. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return this.ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether a line starting with {@code prefix} has been printed. */
    boolean has(String prefix) {
        return find(prefix).isPresent();
    }

    /** Every line so far. */
    List<String> lines() {
        return List.copyOf(this.lines);
    }

    private Optional<String> find(String prefix) {
        return this.lines.stream().filter((line) -> line.startsWith(prefix)).findFirst();
    }

    @Override
    public String toString() {
        return String.join(System.lineSeparator(), this.lines);
    }
}
