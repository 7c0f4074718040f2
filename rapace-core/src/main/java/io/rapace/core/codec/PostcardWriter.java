package io.rapace.core.codec;

import java.util.Arrays;

/**
 * A growable byte buffer that postcard values are encoded into. Reusable: {@link #reset()} keeps the backing
 * array. Writing a primitive never allocates unless the buffer has to grow. Not thread-safe.
 */
public final class PostcardWriter {

    private static final int DEFAULT_CAPACITY = 64;

    /** Largest array the JVM reliably allocates. */
    private static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;

    private byte[] buffer;

    private int size;

    private int depth;

    /** An empty writer with a small initial buffer. */
    public PostcardWriter() {
        this(DEFAULT_CAPACITY);
    }

    /** An empty writer whose buffer starts with {@code initialCapacity} bytes. */
    public PostcardWriter(int initialCapacity) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("initialCapacity must not be negative: initialCapacity=" + initialCapacity);
        }
        this.buffer = new byte[initialCapacity];
    }

    /** Forgets the written bytes, keeping the buffer for reuse. */
    public void reset() {
        this.size = 0;
        this.depth = 0;
    }

    /** The number of bytes written since creation or the last {@link #reset()}. */
    public int size() {
        return this.size;
    }

    /** A copy of the written bytes. */
    public byte[] toByteArray() {
        return Arrays.copyOf(this.buffer, this.size);
    }

    /** The backing array, holding the written bytes at {@code [0, size())}; replaced when the writer grows. */
    public byte[] buffer() {
        return this.buffer;
    }

    /** {@code bool}: one byte, 0 or 1. */
    public void writeBool(boolean value) {
        writeByte(value ? 1 : 0);
    }

    /** {@code u8} / {@code i8}: the low 8 bits of {@code value} as one raw byte. */
    public void writeByte(int value) {
        ensureCapacity(1);
        this.buffer[this.size++] = (byte) value;
    }

    /** {@code i16}: zigzag, then varint. */
    public void writeI16(short value) {
        writeVarint(zigzag(value));
    }

    /** {@code u16}: the unsigned value of {@code value}'s 16 bits as a varint. */
    public void writeU16(short value) {
        writeVarint(Short.toUnsignedLong(value));
    }

    /** {@code i32}: zigzag, then varint. */
    public void writeI32(int value) {
        writeVarint(zigzag(value));
    }

    /** {@code u32}: the unsigned value of {@code value}'s 32 bits as a varint. */
    public void writeU32(int value) {
        writeVarint(Integer.toUnsignedLong(value));
    }

    /** {@code i64}: zigzag, then varint. */
    public void writeI64(long value) {
        writeVarint(zigzag(value));
    }

    /** {@code u64}: the unsigned value of {@code value}'s 64 bits as a varint. */
    public void writeU64(long value) {
        writeVarint(value);
    }

    /** A LEB128 varint of {@code value} read as unsigned 64 bits (at most 10 bytes). */
    public void writeVarint(long value) {
        ensureCapacity(10);
        byte[] buf = this.buffer;
        int pos = this.size;
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        buf[pos++] = (byte) rest;
        this.size = pos;
    }

    /** A length or element count ({@code usize}): a varint. */
    public void writeLength(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative: length=" + length);
        }
        writeVarint(length);
    }

    /** {@code f32}: 4 bytes, little-endian IEEE 754 (NaN payloads kept). */
    public void writeF32(float value) {
        writeIntLittleEndian(Float.floatToRawIntBits(value));
    }

    /** {@code f64}: 8 bytes, little-endian IEEE 754 (NaN payloads kept). */
    public void writeF64(double value) {
        long bits = Double.doubleToRawLongBits(value);
        writeIntLittleEndian((int) bits);
        writeIntLittleEndian((int) (bits >>> 32));
    }

    /** Raw bytes with no length prefix ({@code [u8; N]}). */
    public void writeRaw(byte[] bytes, int offset, int length) {
        ensureCapacity(length);
        System.arraycopy(bytes, offset, this.buffer, this.size, length);
        this.size += length;
    }

    /** {@code Vec<u8>}: varint length, then the bytes. */
    public void writeByteVec(byte[] bytes) {
        writeLength(bytes.length);
        writeRaw(bytes, 0, bytes.length);
    }

    /**
     * {@code String}: varint byte length, then UTF-8, written straight into the buffer.
     *
     * @throws PostcardEncodeException when {@code value} holds an unpaired surrogate (no Rust string can)
     */
    public void writeString(String value) {
        int utf8Length = Utf8.encodedLength(value);
        writeLength(utf8Length);
        ensureCapacity(utf8Length);
        this.size = Utf8.encode(value, this.buffer, this.size);
    }

    /**
     * {@code char}: the one code point as a string (varint byte length, then UTF-8).
     *
     * @throws PostcardEncodeException when {@code value} is a surrogate, which is no Rust {@code char}
     */
    public void writeChar(char value) {
        if (Character.isSurrogate(value)) {
            throw new PostcardEncodeException(String.format(
                    "char U+%04X is a surrogate, which is not a Rust char", (int) value));
        }
        ensureCapacity(4);
        byte[] buf = this.buffer;
        int pos = this.size;
        if (value < 0x80) {
            buf[pos++] = 1;
            buf[pos++] = (byte) value;
        }
        else if (value < 0x800) {
            buf[pos++] = 2;
            buf[pos++] = (byte) (0xC0 | (value >>> 6));
            buf[pos++] = (byte) (0x80 | (value & 0x3F));
        }
        else {
            buf[pos++] = 3;
            buf[pos++] = (byte) (0xE0 | (value >>> 12));
            buf[pos++] = (byte) (0x80 | ((value >>> 6) & 0x3F));
            buf[pos++] = (byte) (0x80 | (value & 0x3F));
        }
        this.size = pos;
    }

    /**
     * Enters one level of a recursive type's value; with {@link #exit()} it bounds the nesting so that a cyclic
     * value fails cleanly instead of overflowing the stack.
     */
    void enter() {
        if (++this.depth > PostcardReader.MAX_DEPTH) {
            this.depth--;
            throw new PostcardEncodeException("value nests deeper than " + PostcardReader.MAX_DEPTH
                    + " levels of a recursive type (is it cyclic?)");
        }
    }

    /** Leaves a level entered with {@link #enter()}. */
    void exit() {
        this.depth--;
    }

    private void writeIntLittleEndian(int bits) {
        ensureCapacity(4);
        byte[] buf = this.buffer;
        int pos = this.size;
        buf[pos] = (byte) bits;
        buf[pos + 1] = (byte) (bits >>> 8);
        buf[pos + 2] = (byte) (bits >>> 16);
        buf[pos + 3] = (byte) (bits >>> 24);
        this.size = pos + 4;
    }

    private void ensureCapacity(int extra) {
        int needed = this.size + extra;
        if (needed - this.buffer.length > 0 || needed < 0) {
            grow(needed);
        }
    }

    private void grow(int needed) {
        if (needed < 0 || needed > MAX_CAPACITY) {
            throw new PostcardEncodeException("encoding exceeds the largest possible buffer (" + MAX_CAPACITY
                    + " bytes): " + this.size + " bytes written, " + (needed - this.size) + " more needed");
        }
        int doubled = this.buffer.length <= MAX_CAPACITY / 2 ? this.buffer.length * 2 : MAX_CAPACITY;
        this.buffer = Arrays.copyOf(this.buffer, Math.max(Math.max(doubled, needed), DEFAULT_CAPACITY));
    }

    private static long zigzag(long value) {
        return (value << 1) ^ (value >> 63);
    }
}
