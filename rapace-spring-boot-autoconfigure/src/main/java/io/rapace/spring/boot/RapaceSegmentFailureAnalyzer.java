package io.rapace.spring.boot;

import java.nio.file.AccessDeniedException;

import io.rapace.transport.shm.ShmOpenException.Reason;
import io.rapace.transport.shm.ShmOpenException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a plugin that cannot open its segment into Spring Boot's short failure report: the description says
 * which file and what was wrong with it, the action what to do (the host creates the file and passes its path),
 * instead of a long stack trace. Registered in {@code META-INF/spring.factories}.
 */
final class RapaceSegmentFailureAnalyzer extends AbstractFailureAnalyzer<ShmOpenException> {

    private static final String FROM_THE_HOST = "The rapace host creates the segment file and passes its path when it"
            + " launches the plugin. Start the plugin from its host, or check the path given as rapace.shm.path,"
            + " --shm-path=PATH or the first argument.";

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ShmOpenException cause) {
        String description = "The rapace plugin cannot open its shared-memory segment." + System.lineSeparator()
                + System.lineSeparator() + "    File:    " + cause.path() + System.lineSeparator()
                + "    Problem: " + problem(cause);
        return new FailureAnalysis(description, action(cause), cause);
    }

    /** What was wrong, from the exception's message without the reason name and the path it already names. */
    static String problem(ShmOpenException failure) {
        if (permissionDenied(failure)) {
            return "permission denied: this user may not read and write the file";
        }
        String message = String.valueOf(failure.getMessage());
        String prefix = failure.reason() + ": ";
        String suffix = " (segment " + failure.path() + ")";
        if (message.startsWith(prefix)) {
            message = message.substring(prefix.length());
        }
        if (message.endsWith(suffix)) {
            message = message.substring(0, message.length() - suffix.length());
        }
        return switch (failure.reason()) {
            case FILE_NOT_FOUND, IO -> message;
            case NOT_INITIALISED -> "no host initialised the file: " + message;
            case BAD_MAGIC -> "the file is not a rapace segment: " + message;
            case UNSUPPORTED_VERSION -> "the segment is of another rapace version: " + message;
            case FILE_TOO_SHORT, INVALID_GEOMETRY -> "the segment's headers are invalid: " + message;
            case GEOMETRY_MISMATCH -> "the segment's geometry is not the configured one: " + message;
            case IN_USE -> "another plugin already serves this segment: " + message;
            case REFUSED_PATH -> "the path cannot be a segment: " + message;
        };
    }

    /** What to do about it. */
    static String action(ShmOpenException failure) {
        if (permissionDenied(failure)) {
            return "Run the plugin as the user that runs its host (the host creates the segment readable and"
                    + " writable by its owner only), or let the host launch it. " + FROM_THE_HOST;
        }
        return switch (failure.reason()) {
            case FILE_NOT_FOUND, NOT_INITIALISED -> FROM_THE_HOST
                    + " If the host is slow to create the file, raise rapace.shm.wait-timeout.";
            case BAD_MAGIC, UNSUPPORTED_VERSION, FILE_TOO_SHORT, INVALID_GEOMETRY -> "Point the plugin at the"
                    + " segment file that its host created (a rapace v1 segment), not at another file. " + FROM_THE_HOST;
            case GEOMETRY_MISMATCH -> "Unset rapace.shm.ring-capacity, rapace.shm.slot-size and"
                    + " rapace.shm.slot-count to follow the host's geometry, or make the host create the geometry"
                    + " they name.";
            case IO -> "Check that the path names a regular file that this user can read and write, on a file"
                    + " system that can be memory-mapped (such as /dev/shm). " + FROM_THE_HOST;
            case IN_USE -> "A segment serves one plugin: stop the other plugin, or let the host create a segment"
                    + " for each plugin it launches. " + FROM_THE_HOST;
            case REFUSED_PATH -> "Pass the path of the segment file that the host created (a regular file, not a"
                    + " link). " + FROM_THE_HOST;
        };
    }

    private static boolean permissionDenied(ShmOpenException failure) {
        return failure.reason() == Reason.IO && causedBy(failure, AccessDeniedException.class) != null;
    }

    private static @Nullable Throwable causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (type.isInstance(current)) {
                return current;
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return null;
    }
}
