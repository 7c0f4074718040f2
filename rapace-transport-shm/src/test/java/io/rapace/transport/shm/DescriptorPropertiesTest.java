package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.rapace.transport.shm.layout.DescriptorLayout;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Any descriptor survives encode/decode, and its bytes sit at the layout's offsets, little-endian. */
class DescriptorPropertiesTest {

    @Property(tries = 300)
    void encodeDecodeRoundTripsEveryFieldBitForBit(@ForAll long msgId, @ForAll int channelId, @ForAll int methodId,
            @ForAll int slot, @ForAll int generation, @ForAll int offset, @ForAll int length, @ForAll int flags,
            @ForAll int credit, @ForAll long deadline, @ForAll @Size(16) byte[] inline) {
        Descriptor descriptor = new Descriptor(msgId, channelId, methodId, slot, generation, offset, length, flags,
                credit, deadline, inline);
        byte[] bytes = descriptor.encode();

        assertThat(bytes).hasSize(DescriptorLayout.LENGTH);
        assertThat(Descriptor.decode(bytes)).isEqualTo(descriptor);
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(le.getLong(DescriptorLayout.MSG_ID_OFFSET)).isEqualTo(msgId);
        assertThat(le.getInt(DescriptorLayout.CHANNEL_ID_OFFSET)).isEqualTo(channelId);
        assertThat(le.getInt(DescriptorLayout.METHOD_ID_OFFSET)).isEqualTo(methodId);
        assertThat(le.getInt(DescriptorLayout.PAYLOAD_SLOT_OFFSET)).isEqualTo(slot);
        assertThat(le.getInt(DescriptorLayout.PAYLOAD_GENERATION_OFFSET)).isEqualTo(generation);
        assertThat(le.getInt(DescriptorLayout.PAYLOAD_OFFSET_OFFSET)).isEqualTo(offset);
        assertThat(le.getInt(DescriptorLayout.PAYLOAD_LEN_OFFSET)).isEqualTo(length);
        assertThat(le.getInt(DescriptorLayout.FLAGS_OFFSET)).isEqualTo(flags);
        assertThat(le.getInt(DescriptorLayout.CREDIT_GRANT_OFFSET)).isEqualTo(credit);
        assertThat(le.getLong(DescriptorLayout.DEADLINE_NS_OFFSET)).isEqualTo(deadline);
        byte[] inlineBack = new byte[DescriptorLayout.INLINE_CAPACITY];
        le.get(DescriptorLayout.INLINE_PAYLOAD_OFFSET, inlineBack);
        assertThat(inlineBack).isEqualTo(inline);
    }
}
