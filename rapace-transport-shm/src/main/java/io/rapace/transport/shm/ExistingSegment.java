package io.rapace.transport.shm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import io.rapace.transport.shm.ShmOpenException.Reason;
import io.rapace.transport.shm.layout.SegmentLayout;

/**
 * What a host does when its segment path already names something (docs/segment-files.md): an abandoned
 * segment of its own user, or an empty file of that user, is unlinked so that the host creates a new
 * file (a new inode: a process still mapping the old one keeps its pages and never gets SIGBUS); anything
 * else is refused, untouched, with the reason. Nothing is ever truncated or written in place.
 */
final class ExistingSegment {

    private ExistingSegment() {
    }

    /**
     * Unlinks the file at {@code path} if it is an abandoned segment (or an empty file) of this process's
     * user; returns normally when the path is then free, or was already.
     *
     * @throws ShmOpenException {@link Reason#REFUSED_PATH} for a link, a non-regular file, another user's file
     *     or a file that is not a rapace segment; {@link Reason#IN_USE} when a live host or plugin locks it
     */
    static void removeIfAbandoned(Path path) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        catch (NoSuchFileException ex) {
            return;
        }
        if (attributes.isSymbolicLink()) {
            throw refused(path, "is a symbolic link (to " + linkTarget(path) + "); a host never follows a link at its"
                    + " segment path, and the link's target was left untouched");
        }
        if (!attributes.isRegularFile()) {
            throw refused(path, "is not a regular file (" + (attributes.isDirectory() ? "a directory" : "a device, pipe"
                    + " or socket") + ") and was left untouched");
        }
        if (!ProcessOwner.owns(path)) {
            throw refused(path, "belongs to " + ProcessOwner.describeOwner(path) + ", not to this process's "
                    + ProcessOwner.describeSelf() + ", and was left untouched");
        }
        SegmentFile file = SegmentChannels.openExisting(path, LinkOption.NOFOLLOW_LINKS);
        try {
            checkIsSegment(path, file, attributes.size());
            if (file.isLocked(PeerRole.HOST)) {
                throw new ShmOpenException(Reason.IN_USE, path, "the segment is in use by a live host (it holds the"
                        + " host lock, byte " + SegmentFile.HOST_LOCK_OFFSET + "); it was left untouched");
            }
            if (file.isLocked(PeerRole.PLUGIN)) {
                throw new ShmOpenException(Reason.IN_USE, path, "the segment is in use by a live plugin (it holds the"
                        + " plugin lock, byte " + SegmentFile.PLUGIN_LOCK_OFFSET + "); it was left untouched");
            }
            file.deleteIfSameFile();
        }
        finally {
            file.release();
        }
    }

    /** An empty file is taken over (it holds nothing); otherwise the magic must be rapace's. */
    private static void checkIsSegment(Path path, SegmentFile file, long size) throws IOException {
        if (size == 0) {
            return;
        }
        ByteBuffer header = file.readHeader();
        if (header.remaining() < Long.BYTES) {
            throw refused(path, "is not a rapace segment (" + size + " bytes, shorter than the magic) and was left"
                    + " untouched");
        }
        long magic = header.getLong(SegmentLayout.MAGIC_OFFSET);
        if (magic != SegmentLayout.MAGIC) {
            throw refused(path, "is not a rapace segment (its first 8 bytes are 0x" + Long.toHexString(
                    Long.reverseBytes(magic)) + ", not the magic \"RAPACE\\0\\0\"; delete it yourself if it is a"
                    + " left-over) and was left untouched");
        }
    }

    private static String linkTarget(Path path) {
        try {
            return Files.readSymbolicLink(path).toString();
        }
        catch (IOException | RuntimeException ex) {
            return "an unreadable target";
        }
    }

    private static ShmOpenException refused(Path path, String why) {
        return new ShmOpenException(Reason.REFUSED_PATH, path, "the segment path " + path + " " + why);
    }
}
