package io.rapace.core.codec;

import java.util.function.BiConsumer;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * The codecs of postcard's scalar types, each named by its Rust type: one row a type, with the {@link PostcardWriter}
 * write of the (boxed, non-null) value and the {@link PostcardReader} read.
 */
enum ScalarCodec implements PostcardCodec<@Nullable Object> {

    /** {@code bool}: boolean / Boolean. */
    BOOL("bool", 1, (out, value) -> out.writeBool((Boolean) value), PostcardReader::readBool),
    /** {@code i8}: byte / Byte. */
    I8("i8", 1, (out, value) -> out.writeByte((Byte) value), PostcardReader::readByte),
    /** {@code u8}: {@code @Unsigned} byte / Byte, holding the 8 bits. */
    U8("u8", 1, (out, value) -> out.writeByte((Byte) value), PostcardReader::readByte),
    /** {@code i16}: short / Short. */
    I16("i16", 1, (out, value) -> out.writeI16((Short) value), PostcardReader::readI16),
    /** {@code u16}: {@code @Unsigned} short / Short, holding the 16 bits. */
    U16("u16", 1, (out, value) -> out.writeU16((Short) value), PostcardReader::readU16),
    /** {@code i32}: int / Integer. */
    I32("i32", 1, (out, value) -> out.writeI32((Integer) value), PostcardReader::readI32),
    /** {@code u32}: {@code @Unsigned} int / Integer, holding the 32 bits. */
    U32("u32", 1, (out, value) -> out.writeU32((Integer) value), PostcardReader::readU32),
    /** {@code i64}: long / Long. */
    I64("i64", 1, (out, value) -> out.writeI64((Long) value), PostcardReader::readI64),
    /** {@code u64}: {@code @Unsigned} long / Long, holding the 64 bits. */
    U64("u64", 1, (out, value) -> out.writeU64((Long) value), PostcardReader::readU64),
    /** {@code f32}: float / Float. */
    F32("f32", 4, (out, value) -> out.writeF32((Float) value), PostcardReader::readF32),
    /** {@code f64}: double / Double. */
    F64("f64", 8, (out, value) -> out.writeF64((Double) value), PostcardReader::readF64),
    /** {@code char}: char / Character, one code point of the Basic Multilingual Plane. */
    CHAR("char", 2, (out, value) -> out.writeChar((Character) value), ScalarCodec::readChar),
    /** {@code String}: String. */
    STRING("String", 1, (out, value) -> out.writeString((String) value), PostcardReader::readString),
    /** {@code Vec<u8>}: byte[]. */
    BYTES("Vec<u8>", 1, (out, value) -> out.writeByteVec((byte[]) value), PostcardReader::readByteVec),
    /** {@code ()}: void / Void; nothing on the wire, {@code null} in Java, so any value (null included) encodes. */
    UNIT("()", 0, (out, value) -> { }, in -> null);

    private final String rustName;

    private final int minEncodedSize;

    private final BiConsumer<PostcardWriter, Object> write;

    private final Function<PostcardReader, @Nullable Object> read;

    ScalarCodec(String rustName, int minEncodedSize, BiConsumer<PostcardWriter, Object> write,
            Function<PostcardReader, @Nullable Object> read) {
        this.rustName = rustName;
        this.minEncodedSize = minEncodedSize;
        this.write = write;
        this.read = read;
    }

    @Override
    public void encode(@Nullable Object value, PostcardWriter out) {
        if (value == null) {
            if (this == UNIT) {
                return; // null is the unit's Java value, and it has no bytes
            }
            throw Missing.value(this.rustName);
        }
        this.write.accept(out, value);
    }

    @Override
    public @Nullable Object decode(PostcardReader in) {
        return this.read.apply(in);
    }

    @Override
    public int minEncodedSize() {
        return this.minEncodedSize;
    }

    /** The Rust type's name, such as {@code u32}. */
    @Override
    public String toString() {
        return this.rustName;
    }

    /** A Rust {@code char} (a string of one code point) that must fit one Java {@code char}, boxed. */
    private static Character readChar(PostcardReader in) {
        return readCharValue(in);
    }

    /** A Rust {@code char} (a string of one code point) that must fit one Java {@code char}. */
    static char readCharValue(PostcardReader in) {
        int at = in.position();
        String text = in.readString();
        if (text.length() == 1 && !Character.isSurrogate(text.charAt(0))) {
            return text.charAt(0);
        }
        int codePoints = text.codePointCount(0, text.length());
        if (codePoints == 1) {
            throw in.error(String.format("char U+%X (read at offset %d) does not fit a Java char",
                    text.codePointAt(0), at));
        }
        throw in.error("char must be exactly one code point, found " + codePoints + " (read at offset " + at + ")");
    }
}
