package io.rapace.core.session;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.testsupport.SharedVectors;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ErrorPayloadTest {

    @Test
    void encodesAndDecodesEveryGoldenPayload() {
        JsonNode payloads = SharedVectors.vector("errors.json").get("payloads");
        assertThat(payloads.size()).isPositive();
        for (JsonNode vector : payloads) {
            byte[] golden = SharedVectors.hex(vector.get("hex").asText());
            ErrorPayload payload = new ErrorPayload(vector.get("code").asInt(), vector.get("message").asText());
            assertThat(SharedVectors.hex(payload.encode())).isEqualTo(vector.get("hex").asText());
            assertThat(ErrorPayload.decode(golden)).isEqualTo(payload);
        }
    }

    @Test
    void everyJavaErrorCodeMatchesTheGoldenCodeTable() {
        JsonNode codes = SharedVectors.vector("errors.json").get("codes");
        assertThat(codes.size()).isEqualTo(ErrorCode.values().length);
        codes.properties().forEach(entry -> {
            ErrorCode code = ErrorCode.fromCode(entry.getValue().asInt());
            assertThat(code).as(entry.getKey()).isNotNull();
            assertThat(code.name().replace("_", "")).isEqualToIgnoringCase(entry.getKey());
            RapaceException ex = ErrorPayload.decode(ErrorPayload.of(code, entry.getKey()).encode()).toException();
            assertThat(ex.errorCode()).isEqualTo(code);
            assertThat(ex.getMessage()).isEqualTo(entry.getKey());
        });
    }

    @Test
    void unknownCodeIsKeptRawAndMappedToInternal() {
        RapaceException ex = ErrorPayload.decode(new ErrorPayload(4242, "new").encode()).toException();
        assertThat(ex.errorCode()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(ex.rawCode()).isEqualTo(4242);
    }

    @Test
    void shortHeaderIsDataLoss() {
        assertThatThrownBy(() -> ErrorPayload.decode(new byte[] {11, 0, 0}))
                .isInstanceOfSatisfying(RapaceException.class, ex -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.DATA_LOSS))
                .hasMessageContaining("3 bytes");
    }

    @Test
    void declaredLengthBeyondPayloadIsDataLoss() {
        byte[] truncated = Arrays.copyOf(ErrorPayload.of(ErrorCode.NOT_FOUND, "missing thing").encode(), 12);
        assertThatThrownBy(() -> ErrorPayload.decode(truncated))
                .isInstanceOfSatisfying(RapaceException.class, ex -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.DATA_LOSS))
                .hasMessageContaining("message_len=13").hasMessageContaining("only 4 bytes");
    }

    @Test
    void hugeDeclaredLengthIsDataLossNotAnAllocation() {
        byte[] payload = {12, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        assertThatThrownBy(() -> ErrorPayload.decode(payload)).hasMessageContaining("message_len=4294967295");
    }

    @Test
    void trailingBytesAreIgnoredLikeTheReference() {
        byte[] encoded = ErrorPayload.of(ErrorCode.ABORTED, "stop").encode();
        byte[] padded = Arrays.copyOf(encoded, encoded.length + 3);
        assertThat(ErrorPayload.decode(padded)).isEqualTo(ErrorPayload.of(ErrorCode.ABORTED, "stop"));
    }

    @Test
    void truncationKeepsWholeUtf8Characters() {
        String message = "ab\u00e9\u20ac";  // 1 + 1 + 2 + 3 bytes
        byte[] encoded = ErrorPayload.of(ErrorCode.INTERNAL, message).encode(5);
        ErrorPayload decoded = ErrorPayload.decode(encoded);
        assertThat(decoded.message()).isEqualTo("ab\u00e9");
        assertThat(decoded.message().getBytes(StandardCharsets.UTF_8)).hasSize(4);
        assertThat(ErrorPayload.decode(ErrorPayload.of(ErrorCode.INTERNAL, message).encode(7)).message()).isEqualTo(message);
    }
}
