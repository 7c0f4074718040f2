package io.rapace.core.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.rapace.core.runtime.RapaceRuntimeException.Kind;

/** Where a host puts its segment when the caller names no path. */
final class SegmentFiles {

    /** Memory-backed on Linux: a segment there never touches a disk. */
    private static final Path DEV_SHM = Path.of("/dev/shm");

    private SegmentFiles() {
    }

    /** A fresh, empty file {@code rapace-*.shm} in {@code /dev/shm} when writable, else in {@code java.io.tmpdir}. */
    static Path createTemporary() {
        try {
            if (Files.isDirectory(DEV_SHM) && Files.isWritable(DEV_SHM)) {
                return Files.createTempFile(DEV_SHM, "rapace-", ".shm");
            }
            return Files.createTempFile("rapace-", ".shm");
        }
        catch (IOException ex) {
            throw new RapaceRuntimeException(Kind.OPEN_FAILED,
                    "cannot create a temporary segment file in " + DEV_SHM + " or " + System.getProperty("java.io.tmpdir")
                            + ": " + ex.getMessage(), ex);
        }
    }

    static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        }
        catch (IOException ex) {
            System.getLogger(SegmentFiles.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot delete the segment file " + path, ex);
        }
    }
}
