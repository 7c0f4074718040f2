package io.rapace.transport.shm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;

/** Whether a file belongs to the user this process runs as. */
final class ProcessOwner {

    /** Owned by the process's user on Linux ({@code /proc/self} belongs to the process's real uid). */
    private static final Path PROC_SELF = Path.of("/proc/self");

    private ProcessOwner() {
    }

    /** Whether {@code path} (not followed if a link) is owned by this process's user. */
    static boolean owns(Path path) throws IOException {
        if (Files.isDirectory(PROC_SELF) && supportsUnixView(path)) {
            Object ours = Files.getAttribute(PROC_SELF, "unix:uid");
            return ours.equals(Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        }
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return true;  // no owners on this file system (not POSIX): nothing to compare
        }
        UserPrincipal owner = view.getOwner();
        return owner.getName().equals(System.getProperty("user.name"));
    }

    /** "uid 1000" or "user alice", for messages. */
    static String describeOwner(Path path) {
        try {
            return supportsUnixView(path) ? "uid " + Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)
                    : "user " + Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName();
        }
        catch (IOException | RuntimeException ex) {
            return "an unknown owner";
        }
    }

    /** The owner of this process, described like {@link #describeOwner}. */
    static String describeSelf() {
        try {
            if (Files.isDirectory(PROC_SELF) && supportsUnixView(PROC_SELF)) {
                return "uid " + Files.getAttribute(PROC_SELF, "unix:uid");
            }
        }
        catch (IOException | RuntimeException ex) {
            // fall back to the user name
        }
        return "user " + System.getProperty("user.name");
    }

    private static boolean supportsUnixView(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("unix");
    }
}
