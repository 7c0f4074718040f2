package io.rapace.test;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.rapace.core.runtime.RapaceHost;
import io.rapace.core.runtime.RapaceRuntimeException;
import io.rapace.core.service.ClientOptions;
import io.rapace.core.session.RpcSession;

/**
 * A plugin process launched by a {@link RapaceHost}, its stdout and stderr appended to one log file. The end
 * is the host's own stop (SIGTERM, the stop timeout, then SIGKILL); the exit code tells whether the plugin
 * left by itself: 0 or 143 (SIGTERM) is clean, 137 means it had to be killed.
 */
final class ProcessPluginRun implements PluginRun {

    /** A JVM that ends on SIGTERM (its shutdown hooks done) reports 128 + 15. */
    static final int SIGTERM_EXIT = 143;

    /** A process killed by SIGKILL reports 128 + 9. */
    static final int SIGKILL_EXIT = 137;

    private final RapaceHost host;

    private final Path log;

    private final PluginSettings settings;

    private final String description;

    private ProcessPluginRun(RapaceHost host, Path log, PluginSettings settings, String description) {
        this.host = host;
        this.log = log;
        this.settings = settings;
        this.description = description;
    }

    /**
     * Launches the plugin and waits until it has opened the segment.
     *
     * @throws RapacePluginException when it exits first or does not open the segment within the start timeout;
     *     the process is gone and the segment removed by then
     */
    static ProcessPluginRun start(PluginSource.Launched source, PluginSettings settings, String logName) {
        Path log = PluginLogs.newFile(logName);
        List<String> command = source.command(settings.jvmOptions(), settings.arguments());
        RapaceHost host = RapaceHost.builder().command(command).services(settings.hostServices().toArray())
                .pathArgumentPrefix(settings.pathArgumentPrefix()).callTimeout(settings.callTimeout())
                .stopTimeout(settings.stopTimeout()).redirectOutput(Redirect.appendTo(log.toFile()))
                .redirectError(Redirect.appendTo(log.toFile())).start();
        String description = "the plugin (" + source.describe() + ", process " + host.process().pid() + ")";
        ProcessPluginRun run = new ProcessPluginRun(host, log, settings, description);
        try {
            host.awaitPluginStarted(settings.startTimeout());
            return run;
        }
        catch (RapaceRuntimeException ex) {
            Ended ended = run.end();
            String what = ended.aliveAtEnd() ? " did not open the segment " + host.path() + " within the start timeout "
                    + settings.startTimeout() + " and was stopped"
                    : " exited with code " + ended.exit() + " during start-up, before it opened the segment "
                            + host.path();
            String also = ended.leftovers().isEmpty() ? "" : "; also: " + String.join("; ", ended.leftovers());
            throw new RapacePluginException(description + what + also + "\n"
                    + PluginLogs.tail(log, settings.logTailLines()), ended.aliveAtEnd() ? null : ended.exit(), ex);
        }
    }

    @Override
    public RpcSession session() {
        return this.host.session();
    }

    @Override
    public Path segment() {
        return this.host.path();
    }

    @Override
    public <T> T client(Class<T> serviceInterface, ClientOptions options) {
        return this.host.client(serviceInterface, options);
    }

    @Override
    public Optional<Process> process() {
        return Optional.of(this.host.process());
    }

    @Override
    public Optional<Path> log() {
        return Optional.of(this.log);
    }

    @Override
    public Optional<String> logTail() {
        return Optional.of(PluginLogs.tail(this.log, this.settings.logTailLines()));
    }

    @Override
    public List<String> stop() {
        Ended ended = end();
        List<String> problems = new ArrayList<>();
        int exit = ended.exit();
        if (!ended.aliveAtEnd()) {
            if (exit != 0) {
                problems.add(this.description + " had exited with code " + exit + " before the end of the tests");
            }
        }
        else if (exit == SIGKILL_EXIT) {
            problems.add(this.description + " did not exit within the stop timeout " + this.settings.stopTimeout()
                    + " after SIGTERM and was killed (exit code " + exit + ")");
        }
        else if (exit != 0 && exit != SIGTERM_EXIT) {
            problems.add(this.description + " exited with code " + exit + " when stopped (expected 0, or "
                    + SIGTERM_EXIT + " after SIGTERM)");
        }
        problems.addAll(ended.leftovers());
        return problems;
    }

    /**
     * How the plugin ended.
     *
     * @param aliveAtEnd whether it still ran when the host began to stop it
     * @param exit its exit code
     * @param leftovers processes or files that had to be removed
     */
    private record Ended(boolean aliveAtEnd, int exit, List<String> leftovers) {
    }

    /** Closes the host (which stops the plugin), then kills what is left of the plugin's processes and file. */
    private Ended end() {
        Process process = this.host.process();
        boolean aliveAtEnd = process.isAlive();
        List<ProcessHandle> descendants = process.descendants().toList();
        List<String> leftovers = new ArrayList<>();
        try {
            this.host.close();
        }
        catch (RuntimeException ex) {
            leftovers.add("closing the host failed: " + ex);
            process.destroyForcibly();
        }
        int exit = waitForExit(process);
        for (ProcessHandle child : descendants) {
            if (child.isAlive()) {
                child.destroyForcibly();
                leftovers.add("a process the plugin started, " + child.pid() + ", was still running and was killed");
            }
        }
        removeLeftover(this.host.path(), leftovers);
        return new Ended(aliveAtEnd, exit, leftovers);
    }

    /** Removes a segment file still at {@code segment} and says so. */
    static void removeLeftover(Path segment, List<String> problems) {
        try {
            if (Files.deleteIfExists(segment)) {
                problems.add("the segment file " + segment + " was left behind and has been removed");
            }
        }
        catch (IOException ex) {
            problems.add("the segment file " + segment + " was left behind and cannot be removed: " + ex);
        }
    }

    private static int waitForExit(Process process) {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        catch (InterruptedException ex) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return -1;
        }
        return process.exitValue();
    }
}
