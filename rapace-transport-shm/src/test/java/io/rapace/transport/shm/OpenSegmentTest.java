package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.rapace.transport.shm.ShmOpenException.Reason;
import io.rapace.transport.shm.layout.DataSegmentLayout;
import io.rapace.transport.shm.layout.RingLayout;
import io.rapace.transport.shm.layout.SegmentLayout;
import io.rapace.transport.shm.layout.ShmLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a segment (spec §1, §8): what waits, what fails at once, and the geometry read from the file.
 * "At once" is checked against an open timeout far longer than the test allows itself.
 */
class OpenSegmentTest {

    private static final Duration LONG_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);
    private static final ShmConfig SMALL = new ShmConfig(8, 1024, 4);

    @TempDir
    Path dir;

    @Test
    void missingFileFailsWithFileNotFoundAfterTheTimeout() {
        Path file = dir.resolve("missing.shm");
        long start = System.nanoTime();
        assertThatThrownBy(() -> ShmTransport.open(file, ShmOptions.defaults().withOpenTimeout(SHORT_TIMEOUT)))
                .isInstanceOfSatisfying(ShmOpenException.class, ex -> {
                    assertThat(ex.reason()).isEqualTo(Reason.FILE_NOT_FOUND);
                    assertThat(ex.path()).isEqualTo(file);
                })
                .hasMessageContaining(file.toString()).hasMessageContaining("300 ms");
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(SHORT_TIMEOUT.toNanos());
    }

    @Test
    void emptyOrZeroFileFailsWithNotInitialisedAfterTheTimeout() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.shm"));
        assertThatThrownBy(() -> ShmTransport.open(empty, ShmOptions.defaults().withOpenTimeout(SHORT_TIMEOUT)))
                .isInstanceOfSatisfying(ShmOpenException.class,
                        ex -> assertThat(ex.reason()).isEqualTo(Reason.NOT_INITIALISED))
                .hasMessageContaining("shorter than the 64-byte segment header");
        Path zeros = dir.resolve("zeros.shm");
        Files.write(zeros, new byte[(int) SMALL.totalSize()]);
        assertThatThrownBy(() -> ShmTransport.open(zeros, ShmOptions.defaults().withOpenTimeout(SHORT_TIMEOUT)))
                .isInstanceOfSatisfying(ShmOpenException.class,
                        ex -> assertThat(ex.reason()).isEqualTo(Reason.NOT_INITIALISED))
                .hasMessageContaining("magic is still zero");
    }

    @Test
    void badMagicFailsAtOnce() throws IOException {
        Path file = createAndClose(SMALL);
        patchLong(file, SegmentLayout.MAGIC_OFFSET, 0x0042555048415041L);
        assertFailsAtOnce(file, ShmOptions.defaults().withOpenTimeout(LONG_TIMEOUT), Reason.BAD_MAGIC,
                "5241504143450000");
    }

    @Test
    void otherMajorVersionFailsAtOnce() throws IOException {
        Path file = createAndClose(SMALL);
        patchInt(file, SegmentLayout.VERSION_OFFSET, 0x0002_0000);
        assertFailsAtOnce(file, ShmOptions.defaults().withOpenTimeout(LONG_TIMEOUT), Reason.UNSUPPORTED_VERSION,
                "major 2");
    }

    @Test
    void otherMinorVersionAndUnknownFlagsAreAccepted() throws IOException {
        Path file = createAndClose(SMALL);
        patchInt(file, SegmentLayout.VERSION_OFFSET, 0x0001_0007);
        patchInt(file, SegmentLayout.FLAGS_OFFSET, 0x8000_0001);
        try (ShmTransport plugin = ShmTransport.open(file, ShmOptions.defaults())) {
            assertThat(plugin.config()).isEqualTo(SMALL);
        }
    }

    @Test
    void fileShorterThanItsDeclaredGeometryFailsAtOnce() throws IOException {
        Path file = createAndClose(SMALL);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(SMALL.totalSize() - 1);
        }
        assertFailsAtOnce(file, ShmOptions.defaults().withOpenTimeout(LONG_TIMEOUT), Reason.FILE_TOO_SHORT,
                String.valueOf(SMALL.totalSize()));
    }

    @Test
    void impossibleGeometryFailsAtOnce() throws IOException {
        Path file = createAndClose(SMALL);
        patchInt(file, ShmLayout.ringCapacityFieldOffset(), 12);
        assertFailsAtOnce(file, ShmOptions.defaults().withOpenTimeout(LONG_TIMEOUT), Reason.INVALID_GEOMETRY,
                "ring_capacity=12");
    }

    @Test
    void geometryComesFromTheSegmentWhenNothingIsPinned() throws IOException {
        Path file = dir.resolve("reference.shm");
        try (ShmTransport host = ShmTransport.create(file, ShmConfig.REFERENCE_DEFAULT, ShmOptions.defaults());
                ShmTransport plugin = ShmTransport.open(file, ShmOptions.defaults())) {
            assertThat(plugin.config()).isEqualTo(ShmConfig.REFERENCE_DEFAULT);
            assertThat(plugin.stats().slotCount()).isEqualTo(64);
            assertThat(host.config()).isEqualTo(plugin.config());
        }
    }

    @Test
    void pinnedGeometryThatDiffersFailsNamingBoth() throws IOException {
        Path file = createAndClose(ShmConfig.REFERENCE_DEFAULT);
        ShmOptions pinned = ShmOptions.defaults().withOpenTimeout(LONG_TIMEOUT)
                .withExpectedConfig(ShmConfig.PLUGIN_DEFAULT);
        assertFailsAtOnce(file, pinned, Reason.GEOMETRY_MISMATCH, ShmConfig.REFERENCE_DEFAULT.describe());
        assertThatThrownBy(() -> ShmTransport.open(file, pinned))
                .hasMessageContaining(ShmConfig.PLUGIN_DEFAULT.describe());
        try (ShmTransport plugin = ShmTransport.open(file,
                pinned.withExpectedConfig(ShmConfig.REFERENCE_DEFAULT))) {
            assertThat(plugin.config()).isEqualTo(ShmConfig.REFERENCE_DEFAULT);
        }
    }

    @Test
    void fileThatIsInitialisedWhileTheOpenWaitsIsOpened() throws Exception {
        Path file = dir.resolve("late.shm");
        Files.write(file, new byte[(int) SMALL.totalSize()]);
        CompletableFuture<ShmTransport> opening = CompletableFuture.supplyAsync(
                () -> ShmTransport.open(file, ShmOptions.defaults().withOpenTimeout(LONG_TIMEOUT)));
        awaitSomeRetries(opening);
        try (Arena arena = Arena.ofShared(); FileChannel channel = FileChannel.open(file, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, SMALL.totalSize(), arena);
            SegmentCreator.initialise(segment, SMALL.layout());
        }
        try (ShmTransport plugin = opening.get(30, TimeUnit.SECONDS)) {
            assertThat(plugin.config()).isEqualTo(SMALL);
        }
    }

    @Test
    void referenceStyleInitialisationWithTheMagicFirstIsWaitedFor() throws Exception {
        Path file = dir.resolve("magic-first.shm");
        Files.write(file, new byte[(int) SMALL.totalSize()]);
        patchLong(file, SegmentLayout.MAGIC_OFFSET, SegmentLayout.MAGIC);
        patchInt(file, SegmentLayout.VERSION_OFFSET, SegmentLayout.VERSION);
        CompletableFuture<ShmTransport> opening = CompletableFuture.supplyAsync(
                () -> ShmTransport.open(file, ShmOptions.defaults().withOpenTimeout(LONG_TIMEOUT)));
        awaitSomeRetries(opening);
        ShmLayout layout = SMALL.layout();
        patchInt(file, layout.ringAToBHeader() + RingLayout.CAPACITY_OFFSET, SMALL.ringCapacity());
        patchInt(file, layout.ringBToAHeader() + RingLayout.CAPACITY_OFFSET, SMALL.ringCapacity());
        patchInt(file, layout.dataHeader() + DataSegmentLayout.SLOT_SIZE_OFFSET, SMALL.slotSize());
        patchInt(file, layout.dataHeader() + DataSegmentLayout.SLOT_COUNT_OFFSET, SMALL.slotCount());
        try (ShmTransport plugin = opening.get(30, TimeUnit.SECONDS)) {
            assertThat(plugin.config()).isEqualTo(SMALL);
        }
    }

    @Test
    void pluginOfAHostThatNeverBeatCountsItAsNotStarted() throws Exception {
        Path file = dir.resolve("silent.shm");
        Files.write(file, new byte[(int) SMALL.totalSize()]);
        try (Arena arena = Arena.ofShared(); FileChannel channel = FileChannel.open(file, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            SegmentCreator.initialise(channel.map(FileChannel.MapMode.READ_WRITE, 0, SMALL.totalSize(), arena),
                    SMALL.layout());
        }
        try (ShmTransport plugin = ShmTransport.open(file, ShmOptions.defaults())) {
            assertThat(plugin.peerHeartbeatAgeNanos()).isEqualTo(-1);
            assertThat(plugin.isPeerAlive()).isTrue();
            assertThat(plugin.receive(frame -> { }, 1, TimeUnit.MILLISECONDS.toNanos(50))).isZero();
        }
    }

    private void assertFailsAtOnce(Path file, ShmOptions options, Reason reason, String mentioned) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> ShmTransport.open(file, options))
                .isInstanceOfSatisfying(ShmOpenException.class, ex -> assertThat(ex.reason()).isEqualTo(reason))
                .hasMessageContaining(mentioned).hasMessageContaining(file.toString());
        // "At once": far below the 60 s open timeout, however loaded the machine.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    private static void awaitSomeRetries(CompletableFuture<ShmTransport> opening) throws InterruptedException {
        Thread.sleep(150);
        assertThat(opening).isNotDone();
    }

    private Path createAndClose(ShmConfig config) {
        Path file = dir.resolve("segment-" + System.nanoTime() + ".shm");
        ShmTransport.create(file, config, ShmOptions.defaults()).close();
        return file;
    }

    private static void patchLong(Path file, long offset, long value) throws IOException {
        patch(file, offset, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value));
    }

    private static void patchInt(Path file, long offset, int value) throws IOException {
        patch(file, offset, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value));
    }

    private static void patch(Path file, long offset, ByteBuffer bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes, offset + bytes.position());
            }
        }
    }
}
