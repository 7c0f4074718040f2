package io.rapace.spring.boot.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.rapace.transport.shm.ShmTransport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One incarnation of a plugin that runs from a container image (docs/containers.md): its segment goes into a
 * directory of its own ({@code rapace-container-host-<random>}, mode 0700, in {@code /dev/shm} when there is one),
 * which is bind-mounted into the container at the same path, so that the path the host passes names the same file
 * inside; the container runs as the uid:gid that owns that directory (the segment file is {@code 0600}), without
 * network unless told, and is removed when it exits ({@code --rm}). The host watches the engine's {@code run}
 * client, which passes SIGTERM on and exits with the container. The clean-up removes the container by name
 * ({@code rm -f}: a killed {@code run} client does not stop its container, e.g. after a stall) and the directory.
 */
final class ContainerIncarnation {

    /** Marks the containers a host starts: {@code io.rapace.host.plugin=<plugin name>}. */
    static final String LABEL = "io.rapace.host.plugin";

    static final String DIRECTORY_PREFIX = "rapace-container-host-";

    private static final Log LOG = LogFactory.getLog(ContainerIncarnation.class);

    private static final Path DEV_SHM = Path.of("/dev/shm");

    /** How old a directory of this kind must be before another incarnation's start may remove it. */
    private static final Duration STALE_AFTER = Duration.ofMinutes(1);

    /** How long removing a container may take. */
    private static final long REMOVE_TIMEOUT_SECONDS = 30;

    private ContainerIncarnation() {
    }

    /** The directory, segment path and {@code run} command of incarnation {@code number} of plugin {@code plugin}. */
    static IncarnationLaunch prepare(String plugin, int number, PluginLaunch.Image image) {
        Path directory = newDirectory();
        Path segment = directory.resolve("rapace-" + random() + ".shm");
        String name = "rapace-" + plugin.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + number + "-" + random();
        List<String> command = new ArrayList<>(List.of(image.engine(), "run", "--rm", "--name", name,
                "--label", LABEL + "=" + plugin, "--network=" + image.network(), "--user", owner(directory),
                "--volume", directory + ":" + directory));
        command.addAll(image.options());
        command.add(image.image());
        command.addAll(image.arguments());
        return new IncarnationLaunch(command, segment, () -> {
            remove(image.engine(), name);
            removeDirectory(directory);
        });
    }

    /**
     * A fresh directory for one segment; abandoned segments and empty directories that a killed host left go first
     * (directories older than a minute: a younger empty one may be another host's, about to get its segment).
     */
    private static Path newDirectory() {
        Path base = Files.isDirectory(DEV_SHM) && Files.isWritable(DEV_SHM) ? DEV_SHM
                : Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> old = Files.list(base)) {
            for (Path stale : old.filter(ContainerIncarnation::leftBehind).toList()) {
                ShmTransport.removeStaleSegments(stale, "*.shm");
                try {
                    Files.deleteIfExists(stale);
                }
                catch (IOException inUse) {
                    // the segment of a live incarnation (of this host or another): leave it
                }
            }
            return Files.createDirectory(base.resolve(DIRECTORY_PREFIX + random()),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot create a segment directory in " + base + ": " + ex, ex);
        }
    }

    private static boolean leftBehind(Path directory) {
        try {
            return directory.getFileName().toString().startsWith(DIRECTORY_PREFIX) && Files.isDirectory(directory)
                    && Files.getLastModifiedTime(directory).toInstant().isBefore(Instant.now().minus(STALE_AFTER));
        }
        catch (IOException gone) {
            return false;
        }
    }

    /** {@code uid:gid} of {@code file}, the user the container runs as. */
    private static String owner(Path file) {
        try {
            return Files.getAttribute(file, "unix:uid") + ":" + Files.getAttribute(file, "unix:gid");
        }
        catch (IOException | UnsupportedOperationException ex) {
            throw new IllegalStateException("cannot read the owner of " + file + " (the container runs as that user): "
                    + ex, ex);
        }
    }

    /** {@code ENGINE rm -f NAME}: gone already (removed on exit) is the usual case, and fine. */
    private static void remove(String engine, String name) {
        try {
            Process rm = new ProcessBuilder(engine, "rm", "-f", name).redirectErrorStream(true)
                .redirectOutput(Redirect.DISCARD).start();
            if (!rm.waitFor(REMOVE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                rm.destroyForcibly();
                LOG.warn("'" + engine + " rm -f " + name + "' did not finish within " + REMOVE_TIMEOUT_SECONDS + " s");
            }
        }
        catch (IOException ex) {
            LOG.warn("cannot remove the plugin container " + name + ": " + ex.getMessage());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeDirectory(Path directory) {
        try (Stream<Path> left = Files.list(directory)) {
            for (Path file : left.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(directory);
        }
        catch (IOException ex) {
            LOG.warn("cannot remove the segment directory " + directory + ": " + ex.getMessage());
        }
    }

    private static String random() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
