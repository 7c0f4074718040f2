package io.rapace.core.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.rapace.transport.shm.ShmTransport;

/**
 * Where a host puts its segment when the caller names no path, and the clean-up of segment files
 * (docs/segment-files.md): abandoned temporary segments at a host's start, the segment of a dead host by
 * its plugin.
 */
final class SegmentFiles {

    /** The logger, made at this class's first log line: a process that logs nothing never sets up the JDK's logging. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(SegmentFiles.class.getName());
    }

    /** Memory-backed on Linux: a segment there never touches a disk. */
    private static final Path DEV_SHM = Path.of("/dev/shm");

    /** The names of temporary segments: {@code rapace-<16 hex digits>.shm}. */
    static final String TEMPORARY_GLOB = "rapace-*.shm";

    private SegmentFiles() {
    }

    /** {@code /dev/shm} when writable, else {@code java.io.tmpdir}. */
    static Path temporaryDirectory() {
        if (Files.isDirectory(DEV_SHM) && Files.isWritable(DEV_SHM)) {
            return DEV_SHM;
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * A fresh name {@code rapace-<random>.shm} in {@code directory}; the host's transport creates the file
     * (exclusively, mode 0600), so no empty file is left behind should the host fail before that.
     */
    static Path newTemporaryPath(Path directory) {
        return directory.resolve("rapace-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong())
                + ".shm");
    }

    /** Deletes the abandoned temporary segments in {@code directory} (no process locks them), one INFO line each. */
    static void removeStale(Path directory) {
        List<Path> removed = ShmTransport.removeStaleSegments(directory, TEMPORARY_GLOB);
        for (Path path : removed) {
            Log.LOG.log(System.Logger.Level.INFO, "removed the abandoned segment file {0} (no live process used it)", path);
        }
    }

    /**
     * Plugin side, once its session ended because the host is gone for good: deletes the segment file if
     * the path still names the file this plugin mapped and no process holds the host's lock. A host that
     * closed normally deletes the file itself.
     */
    static void removeAfterHostDied(ShmTransport transport) {
        if (transport.removeSegmentFile()) {
            Log.LOG.log(System.Logger.Level.INFO, "removed the segment file {0} of a host that died", transport.path());
        }
    }
}
