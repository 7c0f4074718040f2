package io.rapace.spring.boot.host;

import java.nio.file.Path;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What one incarnation is launched with.
 *
 * @param command the command line, without the segment path (the host appends it)
 * @param segment where the segment goes, or null for a fresh temporary file of the host's choosing
 * @param cleanUp run once the incarnation is closed (its process gone): removes what the launch made
 */
record IncarnationLaunch(List<String> command, @Nullable Path segment, Runnable cleanUp) {

    IncarnationLaunch {
        command = List.copyOf(command);
    }

    /** A launch that makes nothing of its own. */
    static IncarnationLaunch of(List<String> command) {
        return new IncarnationLaunch(command, null, () -> {
        });
    }
}
