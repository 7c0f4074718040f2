package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

import io.rapace.transport.shm.layout.DescriptorLayout;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules for the segment file within one JVM (docs/segment-files.md): real files in a temporary directory. */
class SegmentFileSafetyTest {

    private static final ShmConfig SMALL = new ShmConfig(16, 1024, 4);
    private static final ShmConfig LARGE = new ShmConfig(64, 16384, 32);
    private static final byte[] PRECIOUS = "precious data that is not a segment\n".getBytes();

    @TempDir
    Path dir;

    @Test
    void aSymbolicLinkAtThePathIsRefusedAndItsTargetLeftUntouched() throws IOException {
        Path target = Files.write(dir.resolve("target.txt"), PRECIOUS);
        Path link = Files.createSymbolicLink(dir.resolve("segment.shm"), target);

        assertThatThrownBy(() -> ShmTransport.create(link, SMALL, ShmOptions.defaults()).close())
                .isInstanceOf(ShmOpenException.class)
                .hasMessageContaining("symbolic link").hasMessageContaining(link.toString())
                .hasMessageContaining(target.toString());

        assertThat(Files.readAllBytes(target)).isEqualTo(PRECIOUS);
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void aDanglingSymbolicLinkIsRefusedAndNothingIsCreatedAtItsTarget() throws IOException {
        Path target = dir.resolve("not-there.shm");
        Path link = Files.createSymbolicLink(dir.resolve("segment.shm"), target);

        assertThatThrownBy(() -> ShmTransport.create(link, SMALL, ShmOptions.defaults()).close())
                .isInstanceOf(ShmOpenException.class).hasMessageContaining("symbolic link");

        assertThat(target).doesNotExist();
    }

    @Test
    void theSegmentFileIsCreatedReadableAndWritableByItsOwnerOnly() throws IOException {
        Path path = dir.resolve("mode.shm");
        try (ShmTransport _ = ShmTransport.create(path, SMALL, ShmOptions.defaults())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
        }
    }

    @Test
    void aFileThatIsNotASegmentIsRefusedAndLeftUntouched() throws IOException {
        Path path = Files.write(dir.resolve("data.shm"), PRECIOUS);
        Object inode = inode(path);

        assertThatThrownBy(() -> ShmTransport.create(path, SMALL, ShmOptions.defaults()).close())
                .isInstanceOf(ShmOpenException.class)
                .hasMessageContaining("not a rapace segment").hasMessageContaining(path.toString());

        assertThat(Files.readAllBytes(path)).isEqualTo(PRECIOUS);
        assertThat(inode(path)).isEqualTo(inode);
    }

    @Test
    void aDirectoryAtThePathIsRefused() throws IOException {
        Path path = Files.createDirectory(dir.resolve("directory.shm"));

        assertThatThrownBy(() -> ShmTransport.create(path, SMALL, ShmOptions.defaults()).close())
                .isInstanceOf(ShmOpenException.class).hasMessageContaining("not a regular file");

        assertThat(path).isDirectory();
    }

    @Test
    void anotherUsersSegmentIsRefusedAndLeftUntouched() throws IOException {
        Path path = dir.resolve("foreign.shm");
        ShmTransport.create(path, SMALL, ShmOptions.defaults()).close();
        try {
            Files.setAttribute(path, "unix:uid", 4242, LinkOption.NOFOLLOW_LINKS);
        }
        catch (IOException ex) {
            Assumptions.abort("changing a file's owner needs root: " + ex);
        }
        Object inode = inode(path);
        byte[] before = Files.readAllBytes(path);

        assertThatThrownBy(() -> ShmTransport.create(path, SMALL, ShmOptions.defaults()).close())
                .isInstanceOf(ShmOpenException.class).hasMessageContaining("belongs to uid 4242");

        assertThat(inode(path)).isEqualTo(inode);
        assertThat(Files.readAllBytes(path)).isEqualTo(before);
    }

    @Test
    void theSegmentOfALiveHostIsRefused() throws IOException {
        Path path = dir.resolve("live.shm");
        try (ShmTransport _ = ShmTransport.create(path, SMALL, ShmOptions.defaults())) {
            Object inode = inode(path);

            assertThatThrownBy(() -> ShmTransport.create(path, LARGE, ShmOptions.defaults()).close())
                    .isInstanceOf(ShmOpenException.class).hasMessageContaining("in use by a live host");

            assertThat(inode(path)).isEqualTo(inode);
            try (ShmTransport plugin = ShmTransport.open(path, ShmOptions.defaults())) {
                assertThat(plugin.config()).isEqualTo(SMALL);
            }
        }
    }

    @Test
    void anAbandonedSegmentIsReplacedByANewFileAndAnOldMapperKeepsItsPages() throws IOException {
        Path path = dir.resolve("again.shm");
        ShmTransport.create(path, LARGE, ShmOptions.defaults()).close();
        Object oldInode = inode(path);
        long oldSize = Files.size(path);
        // A mapper that takes no lock (as a Rust plugin) still maps the old file when a new host starts.
        try (Arena arena = Arena.ofShared();
                FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment old = channel.map(FileChannel.MapMode.READ_WRITE, 0, oldSize, arena);
            old.set(ValueLayout.JAVA_BYTE, oldSize - 1, (byte) 0x5A);

            try (ShmTransport _ = ShmTransport.create(path, SMALL, ShmOptions.defaults())) {
                assertThat(inode(path)).as("a new inode").isNotEqualTo(oldInode);
                assertThat(Files.size(path)).isEqualTo(SMALL.layout().totalSize());
                // The old file was not truncated: its last page is still there (no SIGBUS) with our byte.
                assertThat(old.get(ValueLayout.JAVA_BYTE, oldSize - 1)).isEqualTo((byte) 0x5A);
                try (ShmTransport plugin = ShmTransport.open(path, ShmOptions.defaults())) {
                    assertThat(plugin.config()).isEqualTo(SMALL);
                }
            }
        }
    }

    @Test
    void anEmptyFileOfOursIsTakenOver() throws IOException {
        Path path = Files.createTempFile(dir, "rapace-", ".shm");
        try (ShmTransport _ = ShmTransport.create(path, SMALL, ShmOptions.defaults())) {
            assertThat(Files.size(path)).isEqualTo(SMALL.layout().totalSize());
        }
    }

    @Test
    void aSecondPluginInTheSameJvmIsRefusedAndTheFirstKeepsWorking() throws IOException {
        Path path = dir.resolve("two-plugins.shm");
        try (ShmTransport host = ShmTransport.create(path, SMALL, ShmOptions.defaults());
                ShmTransport first = ShmTransport.open(path, ShmOptions.defaults())) {

            assertThatThrownBy(() -> ShmTransport.open(path, ShmOptions.defaults()).close())
                    .isInstanceOf(ShmOpenException.class)
                    .hasMessageContaining("segment " + path + " is already used by another plugin");

            host.send(1, 7, 0, DescriptorLayout.NO_DEADLINE, new byte[] {42}, 0, 1, 1_000_000_000L);
            byte[] got = new byte[1];
            assertThat(first.receive(frame -> got[0] = frame.payload().get(ValueLayout.JAVA_BYTE, 0), 1,
                    10_000_000_000L)).isEqualTo(1);
            assertThat(got[0]).isEqualTo((byte) 42);
        }
    }

    @Test
    void aPluginThatClosedLetsTheNextPluginIn() throws IOException {
        Path path = dir.resolve("next-plugin.shm");
        try (ShmTransport _ = ShmTransport.create(path, SMALL, ShmOptions.defaults())) {
            ShmTransport.open(path, ShmOptions.defaults()).close();
            try (ShmTransport next = ShmTransport.open(path, ShmOptions.defaults())) {
                assertThat(next.config()).isEqualTo(SMALL);
            }
        }
    }

    @Test
    void aHostRemovesItsOwnFileButNeverANewerOneAtThePath() throws IOException {
        Path path = dir.resolve("removal.shm");
        ShmTransport old = ShmTransport.create(path, SMALL, ShmOptions.defaults());
        old.close();
        try (ShmTransport newer = ShmTransport.create(path, SMALL, ShmOptions.defaults())) {
            assertThat(old.removeSegmentFile()).isFalse();
            assertThat(path).exists();
            assertThat(newer.removeSegmentFile()).isTrue();
            assertThat(path).doesNotExist();
        }
    }

    private static Object inode(Path path) throws IOException {
        return Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }
}
