package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.rapace.transport.shm.ShmOpenException.Reason;
import io.rapace.transport.shm.layout.DataSegmentLayout;
import io.rapace.transport.shm.layout.ShmLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A segment whose u32 geometry fields do not fit a Java int is refused with the values as the wire has them. */
class UnsignedOpenMessagesTest {

    private static final ShmConfig SMALL = new ShmConfig(8, 1024, 4);

    @TempDir
    Path dir;

    @Test
    void slotCountAboveTheSignedRangePrintsUnsigned() throws IOException {
        Path file = createAndClose();
        patchInt(file, ShmLayout.dataHeaderOffset(SMALL.ringCapacity()) + DataSegmentLayout.SLOT_COUNT_OFFSET,
                0xFFFF_FFFF);
        assertThatThrownBy(() -> ShmTransport.open(file, ShmOptions.defaults()))
                .isInstanceOfSatisfying(ShmOpenException.class,
                        ex -> assertThat(ex.reason()).isEqualTo(Reason.INVALID_GEOMETRY))
                .hasMessageContaining("slot_count=4294967295 (0xFFFFFFFF)")
                .hasMessageContaining(file.toString())
                .hasMessageNotContaining("=-1");
    }

    @Test
    void slotSizeAboveTheSignedRangePrintsUnsigned() throws IOException {
        Path file = createAndClose();
        patchInt(file, ShmLayout.dataHeaderOffset(SMALL.ringCapacity()) + DataSegmentLayout.SLOT_SIZE_OFFSET,
                0x8000_0000);
        assertThatThrownBy(() -> ShmTransport.open(file, ShmOptions.defaults()))
                .isInstanceOf(ShmOpenException.class)
                .hasMessageContaining("slot_size=2147483648 (0x80000000)")
                .hasMessageNotContaining("=-2147483648");
    }

    private Path createAndClose() {
        Path file = this.dir.resolve("segment-" + System.nanoTime() + ".shm");
        ShmTransport.create(file, SMALL, ShmOptions.defaults()).close();
        return file;
    }

    private static void patchInt(Path file, long offset, int value) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes, offset + bytes.position());
            }
        }
    }
}
