package io.rapace.core.runtime;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.rapace.core.runtime.RapaceRuntimeException.Kind;
import org.jspecify.annotations.Nullable;

/**
 * A launched plugin process: started with the segment path as its last argument, stopped with
 * SIGTERM ({@code destroy}), a grace period, then SIGKILL ({@code destroyForcibly}). The host registers the
 * shutdown hook that stops it should the host JVM exit without closing, so that no plugin is orphaned.
 */
final class PluginProcess {

    private static final System.Logger LOG = System.getLogger(PluginProcess.class.getName());

    private final Process process;

    private final List<String> command;

    private PluginProcess(Process process, List<String> command) {
        this.process = process;
        this.command = command;
    }

    /**
     * Starts {@code command} followed by {@code lastArgument}, with {@code environment} added to the inherited
     * environment and the working directory {@code directory} (this process's when null).
     */
    static PluginProcess launch(List<String> command, String lastArgument, Redirect output, Redirect error,
            Map<String, String> environment, @Nullable Path directory) {
        List<String> full = new ArrayList<>(command);
        full.add(lastArgument);
        try {
            ProcessBuilder builder = new ProcessBuilder(full).redirectOutput(output).redirectError(error);
            builder.environment().putAll(environment);
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            Process process = builder.start();
            return new PluginProcess(process, List.copyOf(full));
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
        return describe() + " exited with code " + this.process.exitValue();
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
     * (SIGKILL) and waits for it to be gone. Logs how it ended.
     */
    void stop(Duration grace) {
        if (!this.process.isAlive()) {
            return;
        }
        try {
            this.process.destroy();
            if (this.process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS)) {
                LOG.log(System.Logger.Level.INFO, () -> exitDescription() + " after SIGTERM");
                return;
            }
            LOG.log(System.Logger.Level.WARNING, () -> describe() + " still runs " + grace.toMillis()
                    + " ms after SIGTERM (its grace period); killing it");
            this.process.destroyForcibly().waitFor();
        }
        catch (InterruptedException ex) {
            this.process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
