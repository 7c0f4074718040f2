package io.rapace.core.codec;

import org.jspecify.annotations.Nullable;

/**
 * The codecs of postcard's scalar types, each named by its Rust type: one row a type; {@link #encode} and
 * {@link #decode} pick the {@link PostcardWriter} write of the (boxed, non-null) value and the {@link PostcardReader}
 * read by a switch (not a lambda per row: thirty lambdas cost about 20 ms of a cold start).
 */
enum ScalarCodec implements PostcardCodec<@Nullable Object> {

    /** {@code bool}: boolean / Boolean. */
    BOOL("bool", 1),
    /** {@code i8}: byte / Byte. */
    I8("i8", 1),
    /** {@code u8}: {@code @Unsigned} byte / Byte, holding the 8 bits. */
    U8("u8", 1),
    /** {@code i16}: short / Short. */
    I16("i16", 1),
    /** {@code u16}: {@code @Unsigned} short / Short, holding the 16 bits. */
    U16("u16", 1),
    /** {@code i32}: int / Integer. */
    I32("i32", 1),
    /** {@code u32}: {@code @Unsigned} int / Integer, holding the 32 bits. */
    U32("u32", 1),
    /** {@code i64}: long / Long. */
    I64("i64", 1),
    /** {@code u64}: {@code @Unsigned} long / Long, holding the 64 bits. */
    U64("u64", 1),
    /** {@code f32}: float / Float. */
    F32("f32", 4),
    /** {@code f64}: double / Double. */
    F64("f64", 8),
    /** {@code char}: char / Character, one code point of the Basic Multilingual Plane. */
    CHAR("char", 2),
    /** {@code String}: String. */
    STRING("String", 1),
    /** {@code Vec<u8>}: byte[]. */
    BYTES("Vec<u8>", 1),
    /** {@code ()}: void / Void; nothing on the wire, {@code null} in Java, so any value (null included) encodes. */
    UNIT("()", 0);

    private final String rustName;

    private final int minEncodedSize;

    ScalarCodec(String rustName, int minEncodedSize) {
        this.rustName = rustName;
        this.minEncodedSize = minEncodedSize;
    }

    @Override
    public void encode(@Nullable Object value, PostcardWriter out) {
        if (value == null) {
            if (this == UNIT) {
                return; // null is the unit's Java value, and it has no bytes
            }
            throw Missing.value(this.rustName);
        }
        switch (this) {
            case BOOL -> out.writeBool((Boolean) value);
            case I8, U8 -> out.writeByte((Byte) value);
            case I16 -> out.writeI16((Short) value);
            case U16 -> out.writeU16((Short) value);
            case I32 -> out.writeI32((Integer) value);
            case U32 -> out.writeU32((Integer) value);
            case I64 -> out.writeI64((Long) value);
            case U64 -> out.writeU64((Long) value);
            case F32 -> out.writeF32((Float) value);
            case F64 -> out.writeF64((Double) value);
            case CHAR -> out.writeChar((Character) value);
            case STRING -> out.writeString((String) value);
            case BYTES -> out.writeByteVec((byte[]) value);
            case UNIT -> { } // nothing on the wire: any value (null included) encodes
        }
    }

    @Override
    public @Nullable Object decode(PostcardReader in) {
        return switch (this) {
            case BOOL -> in.readBool();
            case I8, U8 -> in.readByte();
            case I16 -> in.readI16();
            case U16 -> in.readU16();
            case I32 -> in.readI32();
            case U32 -> in.readU32();
            case I64 -> in.readI64();
            case U64 -> in.readU64();
            case F32 -> in.readF32();
            case F64 -> in.readF64();
            case CHAR -> in.readChar();
            case STRING -> in.readString();
            case BYTES -> in.readByteVec();
            case UNIT -> null;
        };
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
}
