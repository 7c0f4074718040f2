package io.rapace.core.session;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;

/**
 * The payload of an {@code ERROR|EOS} frame (spec §4): {@code u32 code} and {@code u32 message_len},
 * both little-endian, then {@code message_len} bytes of UTF-8.
 *
 * <p>Decoding is as lenient as the Rust reference where leniency loses nothing: bytes after the
 * message are ignored and invalid UTF-8 is replaced with U+FFFD. A payload too short for its header or
 * its declared message is rejected with {@link ErrorCode#DATA_LOSS}.
 *
 * @param rawCode the code exactly as on the wire (may be unknown to this version)
 * @param message the human-readable message, possibly empty
 */
record ErrorPayload(int rawCode, String message) {

    /** Bytes before the message: the code and the message length. */
    static final int HEADER_LENGTH = 8;

    /** Validates the message. */
    ErrorPayload {
        Objects.requireNonNull(message, "message");
    }

    /** An error payload with a known code. */
    static ErrorPayload of(ErrorCode code, String message) {
        return new ErrorPayload(code.code(), message);
    }

    /** Encodes this payload, keeping the whole message. */
    byte[] encode() {
        return encode(Integer.MAX_VALUE - HEADER_LENGTH);
    }

    /**
     * Encodes this payload, cutting the message at a UTF-8 character boundary so that it takes at most
     * {@code maxMessageBytes} bytes (used to keep an error frame within one slot).
     */
    byte[] encode(int maxMessageBytes) {
        if (maxMessageBytes < 0) {
            throw new IllegalArgumentException("maxMessageBytes must be >= 0, was " + maxMessageBytes);
        }
        byte[] text = this.message.getBytes(StandardCharsets.UTF_8);
        int length = utf8Prefix(text, Math.min(text.length, maxMessageBytes));
        ByteBuffer out = ByteBuffer.allocate(HEADER_LENGTH + length).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(this.rawCode).putInt(length).put(text, 0, length);
        return out.array();
    }

    /**
     * Decodes an error payload.
     *
     * @throws RapaceException with {@link ErrorCode#DATA_LOSS} when the payload is shorter than its
     *     header or than the message length it declares
     */
    static ErrorPayload decode(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        if (payload.length < HEADER_LENGTH) {
            throw new RapaceException(ErrorCode.DATA_LOSS, "malformed error payload: " + payload.length
                    + " bytes, shorter than the " + HEADER_LENGTH + "-byte header (u32 code, u32 message_len)");
        }
        ByteBuffer in = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        int code = in.getInt();
        long declared = Integer.toUnsignedLong(in.getInt());
        if (declared > payload.length - HEADER_LENGTH) {
            throw new RapaceException(ErrorCode.DATA_LOSS, "malformed error payload (code " + Integer.toUnsignedString(code)
                    + "): message_len=" + declared + " but only " + (payload.length - HEADER_LENGTH) + " bytes follow the header");
        }
        String message = new String(payload, HEADER_LENGTH, (int) declared, StandardCharsets.UTF_8);
        return new ErrorPayload(code, message);
    }

    /** The exception a caller receives for this error ({@link RapaceException#fromWire}). */
    RapaceException toException() {
        return RapaceException.fromWire(this.rawCode, this.message);
    }

    /** The longest prefix of {@code text[0..limit)} that does not split a UTF-8 sequence. */
    private static int utf8Prefix(byte[] text, int limit) {
        if (limit >= text.length) {
            return text.length;
        }
        int end = limit;
        // Step back over continuation bytes (10xxxxxx) to the start of the character cut at `limit`.
        while (end > 0 && (text[end] & 0xC0) == 0x80) {
            end--;
        }
        return end;
    }
}
