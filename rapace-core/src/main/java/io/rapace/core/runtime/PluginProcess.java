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
 * destroy, a wait, then destroyForcibly. A JVM shutdown hook kills it (and runs the host's own clean-up)
 * should the host JVM exit without closing, so that no plugin is orphaned.
 */
final class PluginProcess {

    private final Process process;

    private final List<String> command;

    private final Thread killOnShutdown;

    private PluginProcess(Process process, List<String> command, Duration jvmExitGrace, Runnable onJvmExit) {
        this.process = process;
        this.command = command;
        this.killOnShutdown = ShutdownHooks.register(() -> {
            awaitExit(process, jvmExitGrace);
            process.destroyForcibly();
            onJvmExit.run();
        });
    }

    /** Gives whoever stops the plugin gracefully during the JVM's shutdown (e.g. Spring's hook) up to {@code grace}. */
    private static void awaitExit(Process process, Duration grace) {
        if (grace.isZero()) {
            return;
        }
        try {
            process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts {@code command} followed by {@code lastArgument}; should the JVM exit before {@link #stop}, the
     * process is killed and {@code onJvmExit} runs.
     */
    static PluginProcess launch(List<String> command, String lastArgument, Redirect output, Redirect error,
            Runnable onJvmExit) {
        return launch(command, lastArgument, output, error, Map.of(), null, Duration.ZERO, onJvmExit);
    }

    /**
     * As {@link #launch(List, String, Redirect, Redirect, Runnable)}, with {@code environment} added to the
     * inherited environment, the working directory {@code directory} (this process's when null), and a JVM
     * shutdown that waits up to {@code jvmExitGrace} for the process to exit before killing it.
     */
    static PluginProcess launch(List<String> command, String lastArgument, Redirect output, Redirect error,
            Map<String, String> environment, @Nullable Path directory, Duration jvmExitGrace, Runnable onJvmExit) {
        List<String> full = new ArrayList<>(command);
        full.add(lastArgument);
        try {
            ProcessBuilder builder = new ProcessBuilder(full).redirectOutput(output).redirectError(error);
            builder.environment().putAll(environment);
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            Process process = builder.start();
            return new PluginProcess(process, List.copyOf(full), jvmExitGrace, onJvmExit);
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

    /** Asks the process to stop, waits up to {@code grace}, then kills it and waits for it to be gone. */
    void stop(Duration grace) {
        try {
            if (this.process.isAlive()) {
                this.process.destroy();
                if (!this.process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS)) {
                    this.process.destroyForcibly().waitFor();
                }
            }
        }
        catch (InterruptedException ex) {
            this.process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        finally {
            ShutdownHooks.withdraw(this.killOnShutdown);
        }
    }
}
