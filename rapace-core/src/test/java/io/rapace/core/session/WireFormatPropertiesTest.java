package io.rapace.core.session;

import java.nio.charset.StandardCharsets;

import io.rapace.core.codec.PostcardReader;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.assertj.core.api.Assertions.assertThat;

/** Properties of the session's two byte formats: the error payload and the CancelChannel payload. */
class WireFormatPropertiesTest {

    @Property
    void errorPayloadRoundTrips(@ForAll int code, @ForAll String message) {
        Assume.that(new String(message.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(message));
        ErrorPayload payload = new ErrorPayload(code, message);
        byte[] encoded = payload.encode();
        assertThat(encoded).hasSize(ErrorPayload.HEADER_LENGTH + message.getBytes(StandardCharsets.UTF_8).length);
        assertThat(ErrorPayload.decode(encoded)).isEqualTo(payload);
    }

    @Property
    void truncatedMessageIsAWholeCharacterPrefixWithinTheLimit(@ForAll String message, @ForAll @IntRange(max = 64) int limit) {
        Assume.that(new String(message.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(message));
        byte[] encoded = ErrorPayload.of(io.rapace.core.ErrorCode.INTERNAL, message).encode(limit);
        String decoded = ErrorPayload.decode(encoded).message();
        assertThat(encoded.length - ErrorPayload.HEADER_LENGTH).isLessThanOrEqualTo(limit);
        assertThat(message).startsWith(decoded);
        int full = message.getBytes(StandardCharsets.UTF_8).length;
        if (full <= limit) {
            assertThat(decoded).isEqualTo(message);
        }
        else {
            // Nothing more than one character (at most 4 UTF-8 bytes) was cut beyond the limit.
            assertThat(decoded.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(limit - 4);
        }
    }

    @Property
    void cancelChannelRoundTripsEveryChannelAndReason(@ForAll int channelId, @ForAll @IntRange(max = 2) int reason) {
        assertThat(ControlVerbs.decodeCancelChannel(ControlVerbs.encodeCancelChannel(channelId, reason))).isEqualTo(channelId);
    }

    @Example
    void aNonCanonicalVariantIsReadAsPostcardReadsIt() {
        // Found by decodingArbitraryBytesNeverThrows: 0x82 0x00 is variant 2 written in two bytes.
        assertThat(ControlVerbs.decodeCancelChannel(new byte[] {(byte) 0x82, 0x00, 0x00})).isEqualTo(0);
    }

    @Property
    void decodingArbitraryBytesNeverThrows(@ForAll byte[] bytes) {
        Integer channel = ControlVerbs.decodeCancelChannel(bytes);
        if (channel != null) {
            // A decoded payload starts with variant 2 and then the channel, as postcard reads them: varints in
            // any length postcard accepts (0x82 0x00 is a non-canonical 2, which postcard takes as 2 too).
            PostcardReader postcard = new PostcardReader(bytes);
            assertThat(postcard.readU32()).isEqualTo(ControlVerbs.CANCEL_CHANNEL_VARIANT);
            assertThat(postcard.readU32()).isEqualTo(channel);
        }
    }
}
