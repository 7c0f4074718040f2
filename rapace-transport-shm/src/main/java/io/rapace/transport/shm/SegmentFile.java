package io.rapace.transport.shm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import io.rapace.transport.shm.layout.SegmentLayout;
import org.jspecify.annotations.Nullable;

/**
 * One user's hold on a segment file: its path, its identity (the file key, device and inode) as opened,
 * the JVM's shared channel ({@link SegmentChannels}) and the role lock this user took.
 *
 * <p>The locks are advisory {@code fcntl} record locks ({@link FileChannel#tryLock(long, long, boolean)})
 * on one byte each, far beyond the end of any segment, so they never cover the mapped bytes: the host
 * holds byte {@link #HOST_LOCK_OFFSET} exclusively, a plugin byte {@link #PLUGIN_LOCK_OFFSET}, each for
 * the life of its transport. The kernel drops them when the process dies, {@code kill -9} included: a
 * segment nobody locks is used by no live Java peer. The spec is silent on locks; a Rust peer takes none.
 */
final class SegmentFile {

    /** The byte the host locks exclusively while its transport is open: 2^62. */
    static final long HOST_LOCK_OFFSET = 1L << 62;

    /** The byte a plugin locks exclusively while its transport is open: 2^62 + 1. */
    static final long PLUGIN_LOCK_OFFSET = HOST_LOCK_OFFSET + 1;

    private final Path path;

    private final FileIdentity identity;

    private final FileChannel channel;

    private @Nullable FileLock lock;

    private boolean released;

    SegmentFile(Path path, FileIdentity identity, FileChannel channel) {
        this.path = path;
        this.identity = identity;
        this.channel = channel;
    }

    Path path() {
        return path;
    }

    /** Which file this is (inode and birth time) as opened. */
    FileIdentity identity() {
        return identity;
    }

    FileChannel channel() {
        return channel;
    }

    /** Byte offset of the lock {@code role} holds. */
    static long lockOffset(PeerRole role) {
        return role == PeerRole.HOST ? HOST_LOCK_OFFSET : PLUGIN_LOCK_OFFSET;
    }

    /**
     * Takes {@code role}'s lock for as long as this hold lasts, or returns false when another process, or
     * another transport of this JVM, holds it.
     */
    synchronized boolean tryLock(PeerRole role) throws IOException {
        if (lock != null) {
            throw new IllegalStateException("this hold on " + path + " already has a lock");
        }
        try {
            lock = channel.tryLock(lockOffset(role), 1, false);
        }
        catch (OverlappingFileLockException ex) {
            // Another channel user of this JVM (a transport on the same file) holds it.
            return false;
        }
        return lock != null;
    }

    /** Whether some process, this one included, holds {@code role}'s lock (probes by taking and dropping it). */
    boolean isLocked(PeerRole role) throws IOException {
        try {
            FileLock probe = channel.tryLock(lockOffset(role), 1, false);
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        }
        catch (OverlappingFileLockException ex) {
            return true;
        }
    }

    /** The first {@link SegmentLayout#LENGTH} bytes (fewer if the file is shorter), little-endian. */
    ByteBuffer readHeader() throws IOException {
        ByteBuffer header = ByteBuffer.allocate(SegmentLayout.LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        while (header.hasRemaining() && channel.read(header, header.position()) >= 0) {
            // keep reading until the header is complete or the file ends
        }
        return header.flip();
    }

    /** Whether {@code path} still names the file this hold opened (a symbolic link there never does). */
    boolean pathStillNamesIt() throws IOException {
        try {
            return identity.equals(FileIdentity.of(path, LinkOption.NOFOLLOW_LINKS));
        }
        catch (NoSuchFileException ex) {
            return false;
        }
    }

    /** Deletes the file if its path still names it; never a newer file made at the same path. */
    boolean deleteIfSameFile() throws IOException {
        if (!pathStillNamesIt()) {
            return false;
        }
        return Files.deleteIfExists(path);
    }

    /**
     * Deletes the file at this hold's path when the segment ends for {@code role}: only if the path still names this
     * very file (never a newer segment made there), and, for a plugin, only if no process holds the host lock (the
     * host is gone for good).
     *
     * @throws NoSuchFileException when nothing is at the path any more
     */
    boolean deleteIfStillIt(PeerRole role) throws IOException {
        SegmentFile current = SegmentChannels.openExisting(path, LinkOption.NOFOLLOW_LINKS);
        try {
            if (!current.identity().equals(identity)) {
                return false;
            }
            if (role == PeerRole.PLUGIN && current.isLocked(PeerRole.HOST)) {
                return false;
            }
            return current.deleteIfSameFile();
        }
        finally {
            current.release();
        }
    }

    /** Drops this hold's lock and its use of the channel (the last user closes it). Idempotent. */
    synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
        }
        catch (IOException ex) {
            System.getLogger(SegmentFile.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot release the lock on " + path, ex);
        }
        finally {
            lock = null;
            try {
                SegmentChannels.release(identity.key());
            }
            catch (IOException ex) {
                System.getLogger(SegmentFile.class.getName()).log(System.Logger.Level.WARNING,
                        "cannot close the segment file " + path, ex);
            }
        }
    }
}
