package io.rapace.transport.shm;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/** Creating or opening a segment failed; {@link #reason()} says why. */
public final class ShmOpenException extends ShmException {

    /** Why an open (or create) failed. */
    public enum Reason {
        /** The file did not appear within the open timeout. */
        FILE_NOT_FOUND,
        /** The file exists but no valid header appeared within the open timeout. */
        NOT_INITIALISED,
        /** The magic is non-zero and not {@code RAPACE\0\0}. */
        BAD_MAGIC,
        /** The segment's major version is not 1. */
        UNSUPPORTED_VERSION,
        /** The file is shorter than the geometry its headers declare. */
        FILE_TOO_SHORT,
        /** The headers declare an impossible geometry (capacity not a power of two, zero slots...). */
        INVALID_GEOMETRY,
        /** The caller pinned a geometry and the segment has another. */
        GEOMETRY_MISMATCH,
        /** An I/O error while creating, sizing or mapping the file. */
        IO,
        /** A live peer holds the segment: its host, or another plugin (docs/segment-files.md). */
        IN_USE,
        /**
         * The path names something a host must not replace: a symbolic link, not a regular file, a file of
         * another user, or a file that is not a rapace segment (docs/segment-files.md).
         */
        REFUSED_PATH
    }

    private final Reason reason;
    private final Path path;

    /** With a reason, the segment path and a message naming the values. */
    public ShmOpenException(Reason reason, Path path, String message) {
        this(reason, path, message, null);
    }

    /** With a reason, the segment path, a message naming the values and a cause. */
    public ShmOpenException(Reason reason, Path path, String message, @Nullable Throwable cause) {
        super(reason + ": " + message + " (segment " + path + ")", cause);
        this.reason = reason;
        this.path = path;
    }

    /** Why it failed. */
    public Reason reason() {
        return reason;
    }

    /** The segment file. */
    public Path path() {
        return path;
    }
}
