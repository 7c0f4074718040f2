package io.rapace.core.runtime;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.ProcessBuilder.Redirect;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * One of a plugin's two output streams as its host handles it: by default forwarded to the host's own console
 * stream ({@code System.out} or {@code System.err}) with its tail kept; or sent wherever the host was told, its
 * last lines then read back from the file it went to, or not available at all (inherited, discarded, a pipe
 * the caller reads).
 */
final class PluginStream {

    /** How many bytes of a stream are kept (or read back from its file) for its last lines. */
    static final int TAIL_BYTES = 16 * 1024;

    private final @Nullable Redirect redirect;

    private final OutputTail tail = new OutputTail(TAIL_BYTES);

    private volatile @Nullable OutputForwarder forwarder;

    /** A stream sent to {@code redirect} as {@link ProcessBuilder} does, or forwarded when it is null. */
    PluginStream(@Nullable Redirect redirect) {
        this.redirect = redirect;
    }

    /** What the process builder is given: a pipe when forwarded. */
    Redirect processRedirect() {
        return this.redirect == null ? Redirect.PIPE : this.redirect;
    }

    /**
     * Starts forwarding {@code stream}, the process's end of the pipe, to {@code console} (looked up at each
     * write); nothing when the stream is redirected.
     */
    void attach(InputStream stream, Supplier<PrintStream> console, String threadName) {
        if (this.redirect == null) {
            this.forwarder = OutputForwarder.start(stream, console, this.tail, threadName);
        }
    }

    /** Waits up to {@code timeout} for a forwarded stream to end; true when it has (or is not forwarded). */
    boolean awaitEnd(Duration timeout) {
        OutputForwarder current = this.forwarder;
        return current == null || current.awaitEnd(timeout);
    }

    /** The file the stream is written to, when it is redirected to one ({@link Redirect#DISCARD} is not). */
    @Nullable File file() {
        Redirect target = this.redirect;
        if (target == null || target == Redirect.DISCARD) {
            return null;
        }
        return target.type() == Redirect.Type.WRITE || target.type() == Redirect.Type.APPEND ? target.file() : null;
    }

    /**
     * Its last {@code maxLines} lines, for a failure report: "{@code label} ended with:" and the lines, indented;
     * or one line saying why there are none to show; nothing for a pipe the caller reads (it has the lines).
     */
    String report(String label, int maxLines) {
        Redirect target = this.redirect;
        if (target == null) {
            return section(label, this.tail.lastLines(maxLines));
        }
        if (target == Redirect.INHERIT) {
            return "  " + label + ": inherited as asked, so not kept (the default forwards it and keeps its end)";
        }
        if (target == Redirect.DISCARD) {
            return "  " + label + ": discarded";
        }
        File file = file();
        if (file != null) {
            try {
                return section(label + " (file " + file + ")",
                        OutputTail.lastLinesOf(file.toPath(), TAIL_BYTES, maxLines));
            }
            catch (IOException ex) {
                return "  " + label + ": written to the file " + file + ", which cannot be read: " + ex;
            }
        }
        return "";
    }

    private static String section(String label, List<String> lines) {
        if (lines.isEmpty()) {
            return "  " + label + ": nothing was printed";
        }
        StringBuilder text = new StringBuilder("  ").append(label).append(" ended with:");
        lines.forEach((line) -> text.append(System.lineSeparator()).append("    ").append(line));
        return text.toString();
    }
}
