package io.rapace.core.session;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ControlVerbsTest {

    @Test
    void cancelChannelIsPostcardVariantTwoThenVarints() {
        // Variant 2, channel 300 = varint ac 02, reason 0 (ClientCancel).
        assertThat(ControlVerbs.encodeCancelChannel(300, ControlVerbs.REASON_CLIENT_CANCEL))
                .containsExactly(0x02, 0xAC, 0x02, 0x00);
    }

    @Test
    void cancelChannelRoundTripsUnsignedIds() {
        assertThat(ControlVerbs.decodeCancelChannel(ControlVerbs.encodeCancelChannel(0xFFFF_FFFE, 1))).isEqualTo(0xFFFF_FFFE);
        assertThat(ControlVerbs.decodeCancelChannel(ControlVerbs.encodeCancelChannel(7, 0))).isEqualTo(7);
    }

    @Test
    void otherVariantsAndBrokenPayloadsAreNotCancels() {
        assertThat(ControlVerbs.decodeCancelChannel(new byte[] {1, 7, 0})).isNull();
        assertThat(ControlVerbs.decodeCancelChannel(new byte[] {2})).isNull();
        assertThat(ControlVerbs.decodeCancelChannel(new byte[] {2, (byte) 0x80})).isNull();
        assertThat(ControlVerbs.decodeCancelChannel(new byte[0])).isNull();
        // 2^32 does not fit a u32.
        assertThat(ControlVerbs.decodeCancelChannel(new byte[] {2, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x10})).isNull();
    }
}
