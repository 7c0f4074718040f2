package io.rapace.core.runtime;

import java.io.File;
import java.lang.ProcessBuilder.Redirect;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A plugin's standard output and error as its host handles them. By default both are forwarded to the host's
 * {@code System.out} and {@code System.err}, byte for byte as they come, so the plugin's output shows in the
 * host's console as if inherited, and the last lines of each are kept; a stream the host was told to redirect
 * goes there instead. {@link #report()} shows the last lines of both for a start-up failure.
 */
final class PluginConsole {

    /** How many lines of each stream a report shows. */
    static final int REPORT_LINES = 20;

    private final PluginStream output;

    private final PluginStream error;

    /** {@code output} and {@code error} are where the streams go; null forwards them (the default). */
    PluginConsole(@Nullable Redirect output, @Nullable Redirect error) {
        this.output = new PluginStream(output);
        this.error = new PluginStream(error);
    }

    /** Sets the process builder's redirects: pipes for the forwarded streams. */
    ProcessBuilder configure(ProcessBuilder builder) {
        return builder.redirectOutput(this.output.processRedirect()).redirectError(this.error.processRedirect());
    }

    /** Starts forwarding the streams of {@code process}, started by a builder {@link #configure}d here. */
    void attach(Process process) {
        String prefix = "rapace-plugin-" + process.pid();
        this.output.attach(process.getInputStream(), () -> System.out, prefix + "-stdout");
        this.error.attach(process.getErrorStream(), () -> System.err, prefix + "-stderr");
    }

    /**
     * Waits up to {@code timeout} in all for both forwarded streams to end, which they do once the plugin (and
     * any process of its own that inherited them) has exited; true when both have.
     */
    boolean awaitEnd(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean errorEnded = this.error.awaitEnd(timeout);
        return this.output.awaitEnd(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))) && errorEnded;
    }

    /**
     * The last lines of the plugin's standard error then of its standard output, each on lines of its own
     * (stack frames condensed) after a line separator; or why they cannot be shown; nothing for streams the
     * caller reads itself ({@link Redirect#PIPE}).
     */
    String report() {
        File outputFile = this.output.file();
        List<String> sections = (outputFile != null && Objects.equals(outputFile, this.error.file()))
                ? List.of(this.output.report("its standard output and error", REPORT_LINES))
                : List.of(this.error.report("its standard error", REPORT_LINES),
                        this.output.report("its standard output", REPORT_LINES));
        StringBuilder text = new StringBuilder();
        sections.stream().filter((section) -> !section.isEmpty())
                .forEach((section) -> text.append(System.lineSeparator()).append(section));
        return text.toString();
    }
}
