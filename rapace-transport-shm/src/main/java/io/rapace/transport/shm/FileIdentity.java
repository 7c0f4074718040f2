package io.rapace.transport.shm;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * Which file a path names: the file key (device and inode on Unix) and the birth time. The inode alone is
 * not enough once a file is gone: file systems hand a freed inode number to the next new file at once, so
 * a newer segment at the same path can have the old number. Where the file system records no birth time,
 * Java reports the modification time; the comparison then errs on the side of "another file".
 */
record FileIdentity(Object key, FileTime born) {

    static FileIdentity of(Path path, LinkOption... links) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, links);
        Object key = attributes.fileKey();
        if (key == null) {
            throw new FileSystemException(path.toString(), null,
                    "the file system gives no file identity (inode); segment files need one");
        }
        return new FileIdentity(key, attributes.creationTime());
    }
}
