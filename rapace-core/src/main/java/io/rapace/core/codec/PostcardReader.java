package io.rapace.core.codec;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;

import org.jspecify.annotations.Nullable;

/**
 * A bounds-checked cursor over {@code (byte[], offset, length)} that postcard values are decoded from. Every
 * failure is a {@link RapaceException} with {@link ErrorCode#INVALID_ARGUMENT} and a message of the form
 * {@code "decode error: <what> at offset <n>"}, the offset counted from the start of the view. Never allocates more
 * than the remaining input justifies. Not thread-safe.
 */
public final class PostcardReader {

    /** How deeply values of recursive types may nest, on decoding and encoding. */
    public static final int MAX_DEPTH = 128;

    /**
     * The limit on zero-sized elements (such as those of {@code Vec<()>}) in one decoded value, all sequences
     * together: such elements cost no input bytes, so the input cannot bound them.
     */
    public static final int MAX_ZERO_SIZED_ELEMENTS = 65_536;

    /** What is read; changed only by {@link #resetOver} (a thread's reusable reader, {@link Codecs#decode}). */
    private byte[] bytes;

    private int start;

    private int end;

    private int position;

    /** Zero-sized elements this reader may still hand out, all sequences together. */
    private int zeroSizedLeft = MAX_ZERO_SIZED_ELEMENTS;

    private int depth;

    /** Whether {@link #expectEnd()} passed since the reader was set over its bytes. */
    private boolean endReached;

    private @Nullable CharsetDecoder utf8Decoder;

    /** A reader over the whole array. */
    public PostcardReader(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    /** A reader over {@code length} bytes of {@code bytes} from {@code offset}. */
    public PostcardReader(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        this.bytes = bytes;
        this.start = offset;
        this.end = offset + length;
        this.position = offset;
    }

    /**
     * Reads {@code length} bytes of the same array from {@code offset}, as a new reader over them would (the
     * nesting depth and the zero-sized element budget start afresh); {@link #resetOver} for another array.
     */
    void reset(int offset, int length) {
        Objects.checkFromIndexSize(offset, length, this.bytes.length);
        this.start = offset;
        this.end = offset + length;
        this.position = offset;
        this.zeroSizedLeft = MAX_ZERO_SIZED_ELEMENTS;
        this.depth = 0;
        this.endReached = false;
    }

    /** Reads {@code length} bytes of {@code bytes} from {@code offset}, as a new reader over them would. */
    void resetOver(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        this.bytes = bytes;
        reset(offset, length);
    }

    /** The number of bytes read so far. */
    public int position() {
        return this.position - this.start;
    }

    /** The number of bytes not read yet. */
    public int remaining() {
        return this.end - this.position;
    }

    /** Rejects trailing bytes: the value must have used the whole input. */
    public void expectEnd() {
        if (this.position != this.end) {
            throw error(remaining() + " trailing byte(s) after the value");
        }
        this.endReached = true;
    }

    /**
     * Whether {@link #expectEnd()} passed since this reader was set over its bytes: everything was read. A served
     * method's arguments are read, then their end checked, then the implementation runs: a failure before that point
     * is the request's, one after it the implementation's.
     */
    public boolean endReached() {
        return this.endReached;
    }

    /** {@code bool}: one byte that must be 0 or 1. */
    public boolean readBool() {
        return readZeroOrOne("bool");
    }

    /** {@code u8} or {@code i8}: one raw byte. */
    public byte readByte() {
        return (byte) readUnsignedByte("u8");
    }

    /** {@code i16}: a zigzag varint of at most 3 bytes. */
    public short readI16() {
        long raw = readVarint("", "i16", 3, 0x03);
        return (short) unzigzag(raw);
    }

    /** {@code u16}: a varint of at most 3 bytes; the Java value holds the 16 bits ({@link Unsigned}). */
    public short readU16() {
        return (short) readVarint("", "u16", 3, 0x03);
    }

    /** {@code i32}: a zigzag varint of at most 5 bytes. */
    public int readI32() {
        return (int) unzigzag(readVarint("", "i32", 5, 0x0F));
    }

    /** {@code u32}: a varint of at most 5 bytes; the Java value holds the 32 bits ({@link Unsigned}). */
    public int readU32() {
        return (int) readVarint("", "u32", 5, 0x0F);
    }

    /** {@code i64}: a zigzag varint of at most 10 bytes. */
    public long readI64() {
        return unzigzag(readVarint("", "i64", 10, 0x01));
    }

    /** {@code u64}: a varint of at most 10 bytes; the Java value holds the 64 bits ({@link Unsigned}). */
    public long readU64() {
        return readVarint("", "u64", 10, 0x01);
    }

    /** {@code f32}: 4 bytes, little-endian IEEE 754. */
    public float readF32() {
        require(4, "f32");
        return Float.intBitsToFloat(readIntLittleEndian());
    }

    /** {@code f64}: 8 bytes, little-endian IEEE 754. */
    public double readF64() {
        require(8, "f64");
        long low = Integer.toUnsignedLong(readIntLittleEndian());
        long high = Integer.toUnsignedLong(readIntLittleEndian());
        return Double.longBitsToDouble(low | (high << 32));
    }

    /** {@code String}: a varint byte length, then that many bytes of well-formed UTF-8. */
    public String readString() {
        int at = this.position;
        int length = readLength("string", 1);
        int from = this.position;
        this.position += length;
        if (isAscii(from, length)) {
            return new String(this.bytes, from, length, StandardCharsets.US_ASCII);
        }
        CharsetDecoder decoder = utf8Decoder();
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(this.bytes, from, length));
            return chars.toString();
        }
        catch (CharacterCodingException ex) {
            throw errorAt(at, "string of " + length + " bytes is not valid UTF-8");
        }
    }

    /**
     * {@code char}: a string of one code point (as {@link #readString}), which must fit one Java {@code char} (no
     * code point beyond the Basic Multilingual Plane).
     */
    public char readChar() {
        int at = position();
        String text = readString();
        if (text.length() == 1 && !Character.isSurrogate(text.charAt(0))) {
            return text.charAt(0);
        }
        int codePoints = text.codePointCount(0, text.length());
        if (codePoints == 1) {
            throw error(String.format("char U+%X (read at offset %d) does not fit a Java char",
                    text.codePointAt(0), at));
        }
        throw error("char must be exactly one code point, found " + codePoints + " (read at offset " + at + ")");
    }

    /** {@code Vec<u8>}: a varint length, then that many bytes. */
    public byte[] readByteVec() {
        int length = readLength("byte vector", 1);
        return copyOut(length);
    }

    /** {@code [u8; N]}: exactly {@code length} raw bytes. */
    public byte[] readFixedBytes(int length) {
        if (length < 0 || remaining() < length) {
            throw error("[u8; " + length + "] needs " + length + " bytes but " + remaining() + " remain");
        }
        return copyOut(length);
    }

    /**
     * A length or element count ({@code usize} varint) for a sequence whose elements take at least
     * {@code minElementSize} bytes each, checked against the remaining input before anything is allocated.
     * Elements of size 0 are limited to {@value #MAX_ZERO_SIZED_ELEMENTS} in all for this reader.
     *
     * @param what names the sequence in the error message, e.g. {@code "string"} or {@code "Vec<Point>"}
     */
    public int readLength(String what, int minElementSize) {
        int at = this.position;
        long count = readVarint("length of ", what, 10, 0x01);
        int left = remaining();
        if (minElementSize <= 0) {
            // The limit holds for the whole value, not per sequence: nested sequences of zero-sized elements
            // (Vec<Vec<()>>) would otherwise multiply it (64 KiB of input asking for billions of elements).
            if (Long.compareUnsigned(count, this.zeroSizedLeft) > 0) {
                String budget = this.zeroSizedLeft == MAX_ZERO_SIZED_ELEMENTS ? ""
                        : " in one value (" + this.zeroSizedLeft + " left)";
                throw errorAt(at, what + " length " + Long.toUnsignedString(count)
                        + " exceeds the limit of " + MAX_ZERO_SIZED_ELEMENTS + " for zero-sized elements" + budget);
            }
            this.zeroSizedLeft -= (int) count;
            return (int) count;
        }
        if (Long.compareUnsigned(count, left / minElementSize) > 0) {
            String need = minElementSize == 1 ? "" : " (at least " + minElementSize + " bytes each)";
            throw error(what + " length " + Long.toUnsignedString(count) + need + " exceeds remaining "
                    + left + " bytes");
        }
        return (int) count;
    }

    /** An {@code Option} tag: {@code false} for 0x00 (None), {@code true} for 0x01 (Some). */
    public boolean readOptionTag() {
        return readZeroOrOne("option tag");
    }

    /** An enum variant index (varint {@code u32}) that must be below {@code variantCount}. */
    public int readVariantIndex(String enumName, int variantCount) {
        int at = this.position;
        long index = readVarint("variant index of ", enumName, 5, 0x0F);
        if (index >= variantCount) {
            throw errorAt(at, "unknown variant index " + index + " for " + enumName + " (" + variantCount
                    + " variants)");
        }
        return (int) index;
    }

    /**
     * An error at the current position: {@code RapaceException(INVALID_ARGUMENT, "decode error: <what> at offset
     * <n>")}, for codecs that find a problem the reader cannot see (such as a duplicate map key).
     */
    public RapaceException error(String what) {
        return errorAt(this.position, what);
    }

    /** Like {@link #error(String)}, keeping what caused the problem. */
    RapaceException error(String what, @Nullable Throwable cause) {
        return errorAt(this.position, what, cause);
    }

    /** Enters one level of a recursive type's value; fails past {@link #MAX_DEPTH}. */
    void enter() {
        if (++this.depth > MAX_DEPTH) {
            this.depth--;
            throw error("value nests deeper than " + MAX_DEPTH + " levels of a recursive type");
        }
    }

    /** Leaves a level entered with {@link #enter()}. */
    void exit() {
        this.depth--;
    }

    /** A varint of at most {@code maxBytes}; {@code prefix + type} names it in errors (concatenated only then). */
    private long readVarint(String prefix, String type, int maxBytes, int maxLastByte) {
        int at = this.position;
        long value = 0;
        for (int i = 0; i < maxBytes; i++) {
            if (this.position == this.end) {
                throw errorAt(at, (i == 0 ? "empty input for " : "varint for ") + prefix + type
                        + (i == 0 ? "" : " cut off after " + i + " byte(s)"));
            }
            int b = this.bytes[this.position++] & 0xFF;
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (i == maxBytes - 1 && b > maxLastByte) {
                    throw errorAt(at, "varint for " + prefix + type + " exceeds " + bitsOf(maxBytes, maxLastByte) + " bits");
                }
                return value;
            }
        }
        throw errorAt(at, "varint for " + prefix + type + " longer than " + maxBytes + " bytes");
    }

    private static int bitsOf(int maxBytes, int maxLastByte) {
        return 7 * (maxBytes - 1) + Integer.SIZE - Integer.numberOfLeadingZeros(maxLastByte);
    }

    /** One byte that must be 0 ({@code false}) or 1 ({@code true}); {@code type} names it in errors. */
    private boolean readZeroOrOne(String type) {
        int at = this.position;
        int b = readUnsignedByte(type);
        if (b > 1) {
            throw errorAt(at, type + " must be 0 or 1, found " + b);
        }
        return b == 1;
    }

    private int readUnsignedByte(String type) {
        require(1, type);
        return this.bytes[this.position++] & 0xFF;
    }

    private int readIntLittleEndian() {
        byte[] buf = this.bytes;
        int pos = this.position;
        this.position = pos + 4;
        return (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16 | (buf[pos + 3] << 24);
    }

    private void require(int count, String type) {
        int left = remaining();
        if (left < count) {
            throw error(left == 0 ? "empty input for " + type
                    : type + " needs " + count + " bytes but " + left + " remain");
        }
    }

    private byte[] copyOut(int length) {
        int from = this.position;
        this.position += length;
        return Arrays.copyOfRange(this.bytes, from, from + length);
    }

    private boolean isAscii(int from, int length) {
        byte[] buf = this.bytes;
        for (int i = from, to = from + length; i < to; i++) {
            if (buf[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private CharsetDecoder utf8Decoder() {
        CharsetDecoder decoder = this.utf8Decoder;
        if (decoder == null) {
            decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            this.utf8Decoder = decoder;
        }
        return decoder;
    }

    private RapaceException errorAt(int absolutePosition, String what) {
        return errorAt(absolutePosition, what, null);
    }

    private RapaceException errorAt(int absolutePosition, String what, @Nullable Throwable cause) {
        return new RapaceException(ErrorCode.INVALID_ARGUMENT,
                "decode error: " + what + " at offset " + (absolutePosition - this.start), cause);
    }

    private static long unzigzag(long raw) {
        return (raw >>> 1) ^ -(raw & 1);
    }
}
