package io.rapace.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import io.rapace.transport.shm.ShmTransport;

/**
 * Where the kit's in-JVM hosts put their segments: {@code rapace-test-<random>.shm} in {@code /dev/shm} when
 * writable, else in {@code java.io.tmpdir}. The name matches {@code rapace-*.shm}, so that any host's start-up
 * removes one abandoned by a killed test JVM (docs/segment-files.md).
 */
public final class TestSegments {

    private static final Path DEV_SHM = Path.of("/dev/shm");

    private TestSegments() {
    }

    /** A fresh segment path; the host's {@link ShmTransport#create} creates the file. */
    public static Path newPath() {
        Path directory = Files.isDirectory(DEV_SHM) && Files.isWritable(DEV_SHM) ? DEV_SHM
                : Path.of(System.getProperty("java.io.tmpdir"));
        ShmTransport.removeStaleSegments(directory, "rapace-test-*.shm");
        return directory.resolve("rapace-test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong())
                + ".shm");
    }
}
