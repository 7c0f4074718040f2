package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapace.testsupport.SharedVectors;
import io.rapace.transport.shm.layout.DataSegmentLayout;
import io.rapace.transport.shm.layout.DescriptorLayout;
import io.rapace.transport.shm.layout.RingLayout;
import io.rapace.transport.shm.layout.SegmentLayout;
import io.rapace.transport.shm.layout.ShmLayout;
import io.rapace.transport.shm.layout.SlotMetaLayout;
import org.junit.jupiter.api.Test;

/** Every figure of {@code shared/vectors/layout.json} against the layout classes. */
class LayoutVectorsTest {

    private static final JsonNode LAYOUT = SharedVectors.vector("layout.json");

    /** Our constant for each (struct, field) named in the vector file. */
    private static final Map<String, Map<String, Integer>> FIELD_OFFSETS = Map.of(
            "SegmentHeader", Map.of(
                    "magic", SegmentLayout.MAGIC_OFFSET,
                    "version", SegmentLayout.VERSION_OFFSET,
                    "flags", SegmentLayout.FLAGS_OFFSET,
                    "peer_a_epoch", SegmentLayout.PEER_A_EPOCH_OFFSET,
                    "peer_b_epoch", SegmentLayout.PEER_B_EPOCH_OFFSET,
                    "peer_a_last_seen", SegmentLayout.PEER_A_LAST_SEEN_OFFSET,
                    "peer_b_last_seen", SegmentLayout.PEER_B_LAST_SEEN_OFFSET),
            "RingHeader", Map.of(
                    "visible_head", RingLayout.VISIBLE_HEAD_OFFSET,
                    "tail", RingLayout.TAIL_OFFSET,
                    "capacity", RingLayout.CAPACITY_OFFSET),
            "Descriptor", Map.ofEntries(
                    Map.entry("msg_id", DescriptorLayout.MSG_ID_OFFSET),
                    Map.entry("channel_id", DescriptorLayout.CHANNEL_ID_OFFSET),
                    Map.entry("method_id", DescriptorLayout.METHOD_ID_OFFSET),
                    Map.entry("payload_slot", DescriptorLayout.PAYLOAD_SLOT_OFFSET),
                    Map.entry("payload_generation", DescriptorLayout.PAYLOAD_GENERATION_OFFSET),
                    Map.entry("payload_offset", DescriptorLayout.PAYLOAD_OFFSET_OFFSET),
                    Map.entry("payload_len", DescriptorLayout.PAYLOAD_LEN_OFFSET),
                    Map.entry("flags", DescriptorLayout.FLAGS_OFFSET),
                    Map.entry("credit_grant", DescriptorLayout.CREDIT_GRANT_OFFSET),
                    Map.entry("deadline_ns", DescriptorLayout.DEADLINE_NS_OFFSET),
                    Map.entry("inline_payload", DescriptorLayout.INLINE_PAYLOAD_OFFSET)),
            "DataSegmentHeader", Map.of(
                    "slot_size", DataSegmentLayout.SLOT_SIZE_OFFSET,
                    "slot_count", DataSegmentLayout.SLOT_COUNT_OFFSET,
                    "max_frame_size", DataSegmentLayout.MAX_FRAME_SIZE_OFFSET,
                    "free_head", DataSegmentLayout.FREE_HEAD_OFFSET),
            "SlotMeta", Map.of(
                    "generation", SlotMetaLayout.GENERATION_OFFSET,
                    "state", SlotMetaLayout.STATE_OFFSET));

    private static final Map<String, Integer> STRUCT_SIZES = Map.of(
            "SegmentHeader", SegmentLayout.LENGTH,
            "RingHeader", RingLayout.HEADER_LENGTH,
            "Descriptor", DescriptorLayout.LENGTH,
            "DataSegmentHeader", DataSegmentLayout.LENGTH,
            "SlotMeta", SlotMetaLayout.LENGTH);

    @Test
    void structSizesMatch() {
        JsonNode sizes = LAYOUT.get("struct_sizes");
        assertThat(sizes.size()).isEqualTo(STRUCT_SIZES.size());
        sizes.properties().forEach(entry -> assertThat(STRUCT_SIZES.get(entry.getKey()))
                .as("size of %s", entry.getKey()).isEqualTo(entry.getValue().asInt()));
    }

    @Test
    void everyFieldOffsetMatches() {
        JsonNode structs = LAYOUT.get("field_offsets");
        assertThat(structs.size()).isEqualTo(FIELD_OFFSETS.size());
        structs.properties().forEach(struct -> {
            Map<String, Integer> ours = FIELD_OFFSETS.get(struct.getKey());
            assertThat(ours).as("struct %s", struct.getKey()).isNotNull();
            assertThat(struct.getValue().size()).as("fields of %s", struct.getKey()).isEqualTo(ours.size());
            struct.getValue().properties().forEach(field -> assertThat(ours.get(field.getKey()))
                    .as("%s.%s", struct.getKey(), field.getKey()).isEqualTo(field.getValue().asInt()));
        });
    }

    @Test
    void everyConfigurationsRegionOffsetsAndTotalSizeMatch() {
        JsonNode configs = LAYOUT.get("configs");
        assertThat(configs.size()).isPositive();
        for (JsonNode vector : configs) {
            ShmConfig config = new ShmConfig(vector.get("ring_capacity").asInt(), vector.get("slot_size").asInt(),
                    vector.get("slot_count").asInt());
            ShmLayout layout = config.layout();
            JsonNode offsets = vector.get("offsets");
            Map<String, Long> ours = Map.of(
                    "header", layout.segmentHeader(),
                    "ring_a_to_b_header", layout.ringAToBHeader(),
                    "ring_a_to_b_descs", layout.ringAToBDescriptors(),
                    "ring_b_to_a_header", layout.ringBToAHeader(),
                    "ring_b_to_a_descs", layout.ringBToADescriptors(),
                    "data_header", layout.dataHeader(),
                    "slot_meta", layout.slotMeta(),
                    "slot_data", layout.slotData());
            assertThat(offsets.size()).isEqualTo(ours.size());
            offsets.properties().forEach(entry -> assertThat(ours.get(entry.getKey()))
                    .as("%s of %s", entry.getKey(), config).isEqualTo(entry.getValue().asLong()));
            assertThat(config.totalSize()).as("total size of %s", config).isEqualTo(vector.get("total_size").asLong());
            assertThat(ShmLayout.dataHeaderOffset(config.ringCapacity())).isEqualTo(offsets.get("data_header").asLong());
        }
    }

    @Test
    void defaultsAreTheFirstTwoVectorConfigurations() {
        JsonNode configs = LAYOUT.get("configs");
        assertThat(configOf(configs.get(0))).isEqualTo(ShmConfig.PLUGIN_DEFAULT);
        assertThat(configOf(configs.get(1))).isEqualTo(ShmConfig.REFERENCE_DEFAULT);
    }

    private static ShmConfig configOf(JsonNode vector) {
        return new ShmConfig(vector.get("ring_capacity").asInt(), vector.get("slot_size").asInt(),
                vector.get("slot_count").asInt());
    }
}
