package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapace.testsupport.SharedVectors;
import io.rapace.transport.shm.layout.DescriptorLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Descriptor encoding, flags and sentinels against {@code shared/vectors/descriptors.json}. */
class DescriptorVectorsTest {

    private static final JsonNode VECTORS = SharedVectors.vector("descriptors.json");

    @TempDir
    Path dir;

    @Test
    void flagConstantsMatch() {
        Map<String, Integer> ours = Map.of("DATA", FrameFlags.DATA, "CONTROL", FrameFlags.CONTROL, "EOS",
                FrameFlags.EOS, "CANCEL", FrameFlags.CANCEL, "ERROR", FrameFlags.ERROR, "HIGH_PRIORITY",
                FrameFlags.HIGH_PRIORITY, "CREDITS", FrameFlags.CREDITS, "METADATA_ONLY", FrameFlags.METADATA_ONLY);
        JsonNode flags = VECTORS.get("flags");
        assertThat(flags.size()).isEqualTo(ours.size());
        flags.properties().forEach(e -> assertThat(ours.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue().asInt()));
    }

    @Test
    void sentinelsMatch() {
        assertThat(DescriptorLayout.NO_DEADLINE).isEqualTo(SharedVectors.u64(VECTORS.get("no_deadline")));
        assertThat(Integer.toUnsignedLong(DescriptorLayout.INLINE_SLOT)).isEqualTo(VECTORS.get("inline_slot").asLong());
    }

    @Test
    void everyCaseEncodesAndDecodesToItsBytes() {
        assertThat(VECTORS.get("cases").size()).isPositive();
        for (JsonNode vector : VECTORS.get("cases")) {
            Descriptor fromFields = fromFields(vector.get("fields"));
            assertThat(SharedVectors.hex(fromFields.encode())).as(vector.get("name").asText())
                    .isEqualTo(vector.get("hex").asText());
            assertThat(Descriptor.decode(SharedVectors.hex(vector.get("hex").asText()))).as(vector.get("name").asText())
                    .isEqualTo(fromFields);
        }
    }

    @Test
    void hostTransportWritesTheFirstCaseByteForByte() {
        JsonNode vector = VECTORS.get("cases").get(0);
        Descriptor expected = fromFields(vector.get("fields"));
        assertThat(expected.isInline()).isTrue();
        assertThat(expected.msgId()).isEqualTo(1);
        byte[] payload = Arrays.copyOf(expected.inlinePayload(), expected.payloadLength());
        try (ShmTransport host = ShmTransport.create(dir.resolve("desc.shm"), ShmConfig.REFERENCE_DEFAULT,
                ShmOptions.defaults())) {
            long msgId = host.send(expected.channelId(), expected.methodId(), expected.flags(), expected.deadlineNs(),
                    payload, 0, payload.length, 0);
            assertThat(msgId).isEqualTo(expected.msgId());
            long firstDescriptor = host.config().layout().ringAToBDescriptors();
            byte[] written = host.segment().asSlice(firstDescriptor, DescriptorLayout.LENGTH)
                    .toArray(ValueLayout.JAVA_BYTE);
            assertThat(SharedVectors.hex(written)).isEqualTo(vector.get("hex").asText());
        }
    }

    static Descriptor fromFields(JsonNode fields) {
        byte[] inline = Arrays.copyOf(SharedVectors.hex(fields.get("inline_payload_hex").asText()),
                DescriptorLayout.INLINE_CAPACITY);
        return new Descriptor(
                SharedVectors.u64(fields.get("msg_id")),
                (int) SharedVectors.u64(fields.get("channel_id")),
                (int) SharedVectors.u64(fields.get("method_id")),
                (int) SharedVectors.u64(fields.get("payload_slot")),
                (int) SharedVectors.u64(fields.get("payload_generation")),
                (int) SharedVectors.u64(fields.get("payload_offset")),
                (int) SharedVectors.u64(fields.get("payload_len")),
                (int) SharedVectors.u64(fields.get("flags")),
                (int) SharedVectors.u64(fields.get("credit_grant")),
                SharedVectors.u64(fields.get("deadline_ns")),
                inline);
    }
}
