package io.rapace.transport.shm;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one {@link FileChannel} per segment file (per inode) of this JVM. POSIX record locks belong to the
 * process, and closing <em>any</em> descriptor of a file drops every lock the process holds on it; a host and
 * a plugin in one JVM, or a probe of a file a transport of this JVM uses, would otherwise drop each other's
 * locks. So every open of a segment file in this package comes here, and a channel is closed only when its
 * last user {@linkplain SegmentFile#release releases} it.
 */
final class SegmentChannels {

    /** Owner read and write, nothing for group and others: the mode a segment file has from its creation on. */
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** The attempts at opening a file whose inode changes between the look-up and the open. */
    private static final int OPEN_ATTEMPTS = 3;

    private static final Map<Object, Shared> OPEN = new HashMap<>();

    /** A channel and how many {@link SegmentFile}s use it. */
    private static final class Shared {

        private final FileChannel channel;

        private int users = 1;

        private Shared(FileChannel channel) {
            this.channel = channel;
        }
    }

    private SegmentChannels() {
    }

    /**
     * Creates {@code path}, which must not exist (a symbolic link there counts as existing and is not
     * followed), with mode 0600 from the start where the file system knows POSIX permissions.
     *
     * @throws java.nio.file.FileAlreadyExistsException when something already has that name
     */
    static synchronized SegmentFile createNew(Path path) throws IOException {
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        FileAttribute<?>[] attributes = supportsPosix(path)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        FileChannel channel = FileChannel.open(path, options, attributes);
        FileIdentity identity;
        try {
            identity = FileIdentity.of(path, LinkOption.NOFOLLOW_LINKS);
            if (OPEN.containsKey(identity.key())) {
                throw new FileSystemException(path.toString(), null, "the new file's inode is already open in this JVM"
                        + " (the file was replaced while it was being created)");
            }
        }
        catch (IOException | RuntimeException ex) {
            channel.close();
            throw ex;
        }
        OPEN.put(identity.key(), new Shared(channel));
        return new SegmentFile(path, identity, channel);
    }

    /**
     * Opens the existing file at {@code path} for reading and writing, sharing the channel of this JVM when
     * one is already open on that inode.
     *
     * @param links {@link LinkOption#NOFOLLOW_LINKS} to refuse a symbolic link, or none to follow it
     * @throws java.nio.file.NoSuchFileException when the file does not exist
     */
    static synchronized SegmentFile openExisting(Path path, LinkOption... links) throws IOException {
        for (int attempt = 1; ; attempt++) {
            FileIdentity identity = FileIdentity.of(path, links);
            Shared shared = OPEN.get(identity.key());
            if (shared != null) {
                shared.users++;
                return new SegmentFile(path, identity, shared.channel);
            }
            Set<OpenOption> options = new HashSet<>(List.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
            for (LinkOption link : links) {
                options.add(link);
            }
            FileChannel channel = FileChannel.open(path, options);
            FileIdentity opened;
            try {
                opened = FileIdentity.of(path, links);
            }
            catch (IOException | RuntimeException ex) {
                channel.close();
                throw ex;
            }
            if (opened.key().equals(identity.key())) {
                OPEN.put(identity.key(), new Shared(channel));
                return new SegmentFile(path, identity, channel);
            }
            // The name was given to another file between the look-up and the open: look it up again.
            channel.close();
            if (attempt == OPEN_ATTEMPTS) {
                throw new FileSystemException(path.toString(), null, "the file keeps being replaced while opening it");
            }
        }
    }

    /** Called once per {@link SegmentFile}: the last user closes the channel. */
    static synchronized void release(Object key) throws IOException {
        Shared shared = OPEN.get(key);
        if (shared != null && --shared.users == 0) {
            OPEN.remove(key);
            shared.channel.close();
        }
    }

    /** Whether a transport or probe of this JVM has the file with this key open. */
    static synchronized boolean isOpen(Object key) {
        return OPEN.containsKey(key);
    }

    private static boolean supportsPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
