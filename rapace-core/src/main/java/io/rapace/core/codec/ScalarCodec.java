package io.rapace.core.codec;

import org.jspecify.annotations.Nullable;

/** The codecs of postcard's scalar types, each named by its Rust type. */
enum ScalarCodec implements PostcardCodec<@Nullable Object> {

    /** {@code bool}: boolean / Boolean. */
    BOOL("bool", 1) {
        @Override
        public void encode(@Nullable Object value, PostcardWriter out) {
            out.writeBool((Boolean) present(value));
        }

        @Override
        public Object decode(PostcardReader in) {
            return in.readBool();
        }
    },
    /** {@code i8}: byte / Byte. */
    I8("i8", 1) {
        @Override
        public void encode(@Nullable Object value, PostcardWriter out) {
            out.writeByte((Byte) present(value));
        }

        @Override
        public Object decode(PostcardReader in) {
            return in.readByte();
        }
    },
    /** {@code u8}: {@code @Unsigned} byte / Byte, holding the 8 bits. */
    U8("u8", 1) {
        @Override
        public void encode(@Nullable Object value, PostcardWriter out) {
            out.writeByte((Byte) present(value));
        }

        @Override
        public Object decode(PostcardReader in) {
            return in.readByte();
        }
    },
    /** {@code i16}: short / Short. */
    I16("i16", 1) {
        @Override
        public void encode(@Nullable Object value, PostcardWriter out) {
            out.writeI16((Short) present(value));
        }

        @Override
        public Object decode(PostcardReader in) {
            return in.readI16();
        }
    },
    /** {@code u16}: {@code @Unsigned} short / Short, holding the 16 bits. */
    U16("u16", 1) {
        @Override
        public void encode(@Nullable Object value, PostcardWriter out) {
            out.writeU16((Short) present(value));
        }

        @Override
        public Object decode(PostcardReader in) {
            return in.readU16();
        }
    },
    /** {@code i32}: int / Integer. */
    I32("i32", 1) {
        @Override
        public void encode(@Nullable Object value, PostcardWriter out) {
            out.writeI32((Integer) present(value));
        }

        @Override
        public Object decode(PostcardReader in) {
            return in.readI32();
        }
    },
    /** {@code u32}: {@code @Unsigned} int / Integer, holding the 32 bits. */
    U32("u32", 1) {
        @Override
        public void encode(@Nullable Object value, PostcardWriter out) {
            out.writeU32((Integer) present(value));
        }

        @Override
        public Object decode(PostcardReader in) {
            return in.readU32();
        }
    },
    /** {@code i64}: long / Long. */
    I64("i64", 1) {
        @Override
        public void encode(@Nullable Object value, PostcardWriter out) {
            out.writeI64((Long) present(value));
        }

        @Override
        public Object decode(PostcardReader in) {
            return in.readI64();
        }
    },
    /** {@code u64}: {@code @Unsigned} long / Long, holding the 64 bits. */
    U64("u64", 1) {
        @Override
        public void encode(@Nullable Object value, PostcardWriter out) {
            out.writeU64((Long) present(value));
        }

        @Override
        public Object decode(PostcardReader in) {
            return in.readU64();
        }
    },
    /** {@code f32}: float / Float. */
    F32("f32", 4) {
        @Override
        public void encode(@Nullable Object value, PostcardWriter out) {
            out.writeF32((Float) present(value));
        }

        @Override
        public Object decode(PostcardReader in) {
            return in.readF32();
        }
    },
    /** {@code f64}: double / Double. */
    F64("f64", 8) {
        @Override
        public void encode(@Nullable Object value, PostcardWriter out) {
            out.writeF64((Double) present(value));
        }

        @Override
        public Object decode(PostcardReader in) {
            return in.readF64();
        }
    },
    /** {@code char}: char / Character, one code point of the Basic Multilingual Plane. */
    CHAR("char", 2) {
        @Override
        public void encode(@Nullable Object value, PostcardWriter out) {
            out.writeChar((Character) present(value));
        }

        @Override
        public Object decode(PostcardReader in) {
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
            throw in.error("char must be exactly one code point, found " + codePoints + " (read at offset " + at
                    + ")");
        }
    },
    /** {@code String}: String. */
    STRING("String", 1) {
        @Override
        public void encode(@Nullable Object value, PostcardWriter out) {
            out.writeString((String) present(value));
        }

        @Override
        public Object decode(PostcardReader in) {
            return in.readString();
        }
    },
    /** {@code Vec<u8>}: byte[]. */
    BYTES("Vec<u8>", 1) {
        @Override
        public void encode(@Nullable Object value, PostcardWriter out) {
            out.writeByteVec((byte[]) present(value));
        }

        @Override
        public Object decode(PostcardReader in) {
            return in.readByteVec();
        }
    },
    /** {@code ()}: void / Void; nothing on the wire, {@code null} in Java. */
    UNIT("()", 0) {
        @Override
        public void encode(@Nullable Object value, PostcardWriter out) {
            // the unit type has no bytes
        }

        @Override
        public @Nullable Object decode(PostcardReader in) {
            return null;
        }
    };

    private final String rustName;

    private final int minEncodedSize;

    ScalarCodec(String rustName, int minEncodedSize) {
        this.rustName = rustName;
        this.minEncodedSize = minEncodedSize;
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

    /** {@code value}, or a clear failure when it is null. */
    Object present(@Nullable Object value) {
        if (value == null) {
            throw Missing.value(this.rustName);
        }
        return value;
    }
}
