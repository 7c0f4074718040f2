package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapace.testsupport.SharedVectors;
import io.rapace.transport.shm.layout.DataSegmentLayout;
import io.rapace.transport.shm.layout.RingLayout;
import io.rapace.transport.shm.layout.SegmentLayout;
import io.rapace.transport.shm.layout.ShmLayout;
import io.rapace.transport.shm.layout.SlotMetaLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bytes of every header right after initialisation against {@code shared/vectors/headers.json}. */
class HeaderVectorsTest {

    private static final JsonNode HEADERS = SharedVectors.vector("headers.json");

    @TempDir
    Path dir;

    @Test
    void initialisedPluginDefaultSegmentMatchesEveryHeaderImage() {
        ShmLayout layout = ShmConfig.PLUGIN_DEFAULT.layout();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(layout.totalSize(), 8);
            segment.fill((byte) 0x5A);
            SegmentCreator.initialise(segment, layout);

            assertThat(hexAt(segment, layout.segmentHeader(), SegmentLayout.LENGTH))
                    .isEqualTo(HEADERS.get("segment_header_after_init_hex").asText());
            String ring = HEADERS.get("ring_header_after_init_cap256_hex").asText();
            assertThat(hexAt(segment, layout.ringAToBHeader(), RingLayout.HEADER_LENGTH)).isEqualTo(ring);
            assertThat(hexAt(segment, layout.ringBToAHeader(), RingLayout.HEADER_LENGTH)).isEqualTo(ring);
            assertThat(hexAt(segment, layout.dataHeader(), DataSegmentLayout.LENGTH))
                    .isEqualTo(HEADERS.get("data_segment_header_after_init_default_hex").asText());
            String slotMeta = HEADERS.get("slot_meta_after_init_hex").asText();
            for (int i = 0; i < layout.slotCount(); i++) {
                assertThat(hexAt(segment, layout.slotMeta(i), SlotMetaLayout.LENGTH)).as("slot %d", i)
                        .isEqualTo(slotMeta);
            }
        }
    }

    @Test
    void createdFileHoldsTheHeaderImagesExceptTheLiveHeartbeat() throws Exception {
        Path file = dir.resolve("created.shm");
        ShmLayout layout = ShmConfig.PLUGIN_DEFAULT.layout();
        // The vectors are v1.0 images (flags 0): the wake extension, which sets a flag bit, is off.
        try (ShmTransport host = ShmTransport.create(file, ShmConfig.PLUGIN_DEFAULT,
                ShmOptions.defaults().withWakeExtension(false))) {
            assertThat(host.role()).isEqualTo(PeerRole.HOST);
        }
        byte[] bytes = Files.readAllBytes(file);
        assertThat((long) bytes.length).isEqualTo(layout.totalSize());
        MemorySegment file64 = MemorySegment.ofArray(bytes);
        String segmentHeader = HEADERS.get("segment_header_after_init_hex").asText();
        // magic, version and flags: bytes 0..16; the heartbeat fields after them are live.
        assertThat(hexAt(file64, 0, 16)).isEqualTo(segmentHeader.substring(0, 32));
        assertThat(hexAt(file64, layout.ringAToBHeader(), RingLayout.HEADER_LENGTH))
                .isEqualTo(HEADERS.get("ring_header_after_init_cap256_hex").asText());
        assertThat(hexAt(file64, layout.dataHeader(), DataSegmentLayout.LENGTH))
                .isEqualTo(HEADERS.get("data_segment_header_after_init_default_hex").asText());
    }

    @Test
    void withTheExtensionsOnTheOnlyDifferenceIsTheHostsBitsInFlags() throws Exception {
        Path plain = dir.resolve("plain.shm");
        Path wake = dir.resolve("wake.shm");
        ShmLayout layout = ShmConfig.PLUGIN_DEFAULT.layout();
        try (ShmTransport off = ShmTransport.create(plain, ShmConfig.PLUGIN_DEFAULT,
                ShmOptions.defaults().withWakeExtension(false));
                ShmTransport on = ShmTransport.create(wake, ShmConfig.PLUGIN_DEFAULT, ShmOptions.defaults())) {
            assertThat(on.role()).isEqualTo(off.role());
        }
        byte[] a = Files.readAllBytes(plain);
        byte[] b = Files.readAllBytes(wake);
        assertThat(b.length).isEqualTo(a.length);
        // The heartbeat fields (16..48) are live; everything else must be equal but the flags word.
        for (int i = 0; i < layout.slotData(); i++) {
            if (i >= SegmentLayout.PEER_A_EPOCH_OFFSET && i < SegmentLayout.PEER_B_LAST_SEEN_OFFSET + 8) {
                continue;
            }
            if (i == SegmentLayout.FLAGS_OFFSET) {
                assertThat(a[i]).isZero();
                assertThat(b[i]).as("flags byte 0: FLAG_WAKE_A, FLAG_HOST_CLOSES_BY_REMOVAL and FLAG_BEAT_WAKE_A")
                        .isEqualTo((byte) (SegmentLayout.FLAG_WAKE_A | SegmentLayout.FLAG_HOST_CLOSES_BY_REMOVAL
                                | SegmentLayout.FLAG_BEAT_WAKE_A));
                continue;
            }
            assertThat(b[i]).as("byte %d", i).isEqualTo(a[i]);
        }
    }

    private static String hexAt(MemorySegment segment, long offset, int length) {
        return SharedVectors.hex(segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
    }
}
