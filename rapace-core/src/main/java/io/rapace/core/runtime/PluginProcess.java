package io.rapace.core.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.rapace.core.runtime.RapaceRuntimeException.Kind;
import org.jspecify.annotations.Nullable;

/**
 * A launched plugin process: started with the segment path as its last argument, its output handled by a
 * {@link PluginConsole}, stopped with SIGTERM, a grace period, then SIGKILL. The host registers the shutdown hook that stops it should the host JVM exit without
 * closing, so that no plugin is orphaned.
 */
final class PluginProcess {

    /** The logger, made at this class's first log line: a process that logs nothing never sets up the JDK's logging. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(PluginProcess.class.getName());
    }

    /**
     * How long a report or close waits for the forwarded output to end once the process has exited: the streams
     * end with it, unless a process of its own still holds them.
     */
    static final Duration OUTPUT_DRAIN = Duration.ofSeconds(2);

    private final Process process;

    private final List<String> command;

    private final PluginConsole console;

    private PluginProcess(Process process, List<String> command, PluginConsole console) {
        this.process = process;
        this.command = command;
        this.console = console;
    }

    /**
     * Starts {@code command} followed by {@code lastArgument}, its output handled by {@code console}, with
     * {@code environment} added to the inherited environment and the working directory {@code directory} (this
     * process's when null).
     */
    static PluginProcess launch(List<String> command, String lastArgument, PluginConsole console,
            Map<String, String> environment, @Nullable Path directory) {
        List<String> full = new ArrayList<>(command);
        full.add(lastArgument);
        try {
            ProcessBuilder builder = console.configure(new ProcessBuilder(full));
            builder.environment().putAll(environment);
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            Process process = builder.start();
            try {
                console.attach(process);
            }
            catch (RuntimeException | Error ex) {
                process.destroyForcibly();
                throw ex;
            }
            return new PluginProcess(process, List.copyOf(full), console);
        }
        catch (IOException | RuntimeException ex) {
            throw new RapaceRuntimeException(Kind.LAUNCH_FAILED,
                    "cannot start the plugin process " + full + ": " + ex.getMessage(), ex);
        }
    }

    Process process() {
        return this.process;
    }

    boolean isAlive() {
        return this.process.isAlive();
    }

    /** "plugin process PID [program, ..., last two arguments]", for messages (class paths can be long). */
    String describe() {
        int size = this.command.size();
        List<String> shown = size <= 4 ? this.command
                : List.of(this.command.getFirst(), "...", this.command.get(size - 2), this.command.getLast());
        return "plugin process " + this.process.pid() + " " + shown;
    }

    /** Why the process is gone, e.g. "plugin process 42 [...] exited with code 1". */
    String exitDescription() {
        return describe() + " exited with " + ExitStatus.describe(this.process.exitValue());
    }

    /**
     * {@code problem} followed by the last lines of the plugin's standard error and output. When the process has
     * exited, first waits (up to {@link #OUTPUT_DRAIN}) for its output to be all in.
     */
    String withLastOutput(String problem) {
        if (!this.process.isAlive()) {
            this.console.awaitEnd(OUTPUT_DRAIN);
        }
        return problem + this.console.report();
    }

    /**
     * Waits (up to {@link #OUTPUT_DRAIN}) for the forwarded output of the exited process to be all forwarded, so
     * that its reader threads are gone.
     */
    void awaitOutputEnd() {
        this.console.awaitEnd(OUTPUT_DRAIN);
    }

    /** Waits up to {@code grace} for the process to exit by itself (or be stopped by someone else). */
    void awaitExit(Duration grace) {
        if (grace.isZero() || !this.process.isAlive()) {
            return;
        }
        try {
            this.process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Asks the process to stop (SIGTERM), waits up to {@code grace} for it to drain and exit, then kills it
     * (SIGKILL) and waits for it to be gone. Logs how it ended. The signals are sent through the process's
     * handle: {@link Process#destroy()} would also close this end of its output pipes, losing what the plugin
     * prints while it drains and making its writes fail.
     */
    void stop(Duration grace) {
        if (!this.process.isAlive()) {
            return;
        }
        ProcessHandle handle = this.process.toHandle();
        try {
            handle.destroy();
            if (this.process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS)) {
                Log.LOG.log(System.Logger.Level.INFO, () -> exitDescription() + " after SIGTERM");
                return;
            }
            Log.LOG.log(System.Logger.Level.WARNING, () -> describe() + " still runs " + grace.toMillis()
                    + " ms after SIGTERM (its grace period); killing it");
            handle.destroyForcibly();
            this.process.waitFor();
        }
        catch (InterruptedException ex) {
            handle.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
