package io.rapace.transport.shm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.rapace.transport.shm.layout.SegmentLayout;

/**
 * Finds and deletes abandoned segment files in a directory (docs/segment-files.md): regular files of this
 * process's user, matching a name pattern, that no process locks, not modified and not heartbeated for
 * {@link #QUIET_TIME} (so a file being created, or used by a peer that takes no lock, is kept), and that
 * either hold no finished header (a creation that died) or carry the rapace magic.
 */
final class StaleSegments {

    /** How long a file must have been left alone: the spec's default liveness timeout (§3). */
    static final Duration QUIET_TIME = Duration.ofSeconds(3);

    /** The logger, made at this class's first log line: a process that logs nothing never sets up the JDK's logging. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(StaleSegments.class.getName());
    }

    private StaleSegments() {
    }

    /** Deletes the abandoned segments in {@code directory} whose names match {@code glob}; returns them. */
    static List<Path> remove(Path directory, String glob) {
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, glob)) {
            for (Path entry : entries) {
                try {
                    if (removeIfAbandoned(entry)) {
                        removed.add(entry);
                    }
                }
                catch (IOException | RuntimeException ex) {
                    Log.LOG.log(System.Logger.Level.DEBUG, "cannot examine " + entry + " for a stale segment", ex);
                }
            }
        }
        catch (IOException ex) {
            Log.LOG.log(System.Logger.Level.DEBUG, "cannot list " + directory + " for stale segments", ex);
        }
        return removed;
    }

    private static boolean removeIfAbandoned(Path path) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        catch (NoSuchFileException ex) {
            return false;
        }
        long quietMillis = QUIET_TIME.toMillis();
        if (!attributes.isRegularFile() || !ProcessOwner.owns(path)
                || System.currentTimeMillis() - attributes.lastModifiedTime().toMillis() < quietMillis
                || SegmentChannels.isOpen(FileIdentity.of(path, LinkOption.NOFOLLOW_LINKS).key())) {
            return false;
        }
        SegmentFile file = SegmentChannels.openExisting(path, LinkOption.NOFOLLOW_LINKS);
        try {
            if (file.isLocked(PeerRole.HOST) || file.isLocked(PeerRole.PLUGIN) || !quietHeader(file.readHeader())) {
                return false;
            }
            return file.deleteIfSameFile();
        }
        finally {
            file.release();
        }
    }

    /** A header not finished (short file, zero magic), or a rapace header whose heartbeats are both quiet. */
    private static boolean quietHeader(ByteBuffer header) {
        if (header.remaining() < SegmentLayout.LENGTH || header.getLong(SegmentLayout.MAGIC_OFFSET) == 0) {
            return true;
        }
        if (header.getLong(SegmentLayout.MAGIC_OFFSET) != SegmentLayout.MAGIC) {
            return false;
        }
        long now = WallClock.nowNanos();
        long quiet = QUIET_TIME.toNanos();
        return now - header.getLong(SegmentLayout.PEER_A_LAST_SEEN_OFFSET) >= quiet
                && now - header.getLong(SegmentLayout.PEER_B_LAST_SEEN_OFFSET) >= quiet;
    }
}
