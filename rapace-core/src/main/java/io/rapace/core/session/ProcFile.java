package io.rapace.core.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.ToLongFunction;

/**
 * A Linux {@code /proc} file read for one number ({@link RunQueueWait}, {@link VoluntarySwitches}): once a read
 * failed for want of the file (not Linux, no {@code /proc}), none is tried again. Each read opens, reads and closes the file,
 * tens of µs on a VM, so it is for runs already suspected, never for the fast path.
 */
final class ProcFile {

    private final Path path;

    /** Set once a read failed; racy: a retry is harmless. */
    private boolean absent;

    ProcFile(Path path) {
        this.path = path;
    }

    /** The number {@code parse} finds in the file's text, or {@code unknown} when there is no file to read. */
    long read(ToLongFunction<byte[]> parse, long unknown) {
        if (this.absent) {
            return unknown;
        }
        try {
            return parse.applyAsLong(Files.readAllBytes(this.path));
        }
        catch (IOException | UnsupportedOperationException ex) {
            this.absent = true;
            return unknown;
        }
    }
}
