package io.rapace.core.codec;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import io.rapace.core.RapaceException;
import org.jspecify.annotations.Nullable;

/**
 * The scalar codecs of Java's primitive types without a box, for callers that know a value's primitive type when
 * they are built (typed clients and served methods): the writer's and the reader's method per primitive type, a
 * reader handle, and a value carried as its raw bits in a {@code long} ({@link #decodeBits}, {@link #encodeBits},
 * {@link #toBits}). Only the scalar codec of exactly that primitive type goes without a box ({@code i32} or
 * {@code u32} for {@code int}, {@code ()} for {@code void}, and so on); any other codec, a boxed type or a
 * reference, is read and written through the codec.
 */
public final class Unboxed {

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    private Unboxed() {
    }

    /**
     * The name of {@link PostcardWriter}'s method that writes a value of {@code type} exactly as {@code codec} does
     * where {@code codec} is the scalar codec of primitive {@code type} (such as {@code writeU32} for an {@code int}
     * written as {@code u32}); its one parameter is of type {@link #writerParameter}. Null for any other codec, which
     * writes through {@link PostcardCodec#encode}.
     *
     * @throws IllegalArgumentException when {@code type} is {@code void}
     */
    public static @Nullable String writerMethod(PostcardCodec<?> codec, Class<?> type) {
        ScalarCodec scalar = primitiveScalar(codec, type);
        if (scalar == null) {
            return null;
        }
        return "write" + methodSuffix(scalar);
    }

    /**
     * The parameter type of the {@link #writerMethod} for primitive {@code type}: {@code type} itself, but {@code int}
     * for a {@code byte} ({@code writeByte} writes the low 8 bits of an int, to which a byte widens).
     */
    public static Class<?> writerParameter(Class<?> type) {
        return type == byte.class ? int.class : type;
    }

    /**
     * A handle of type {@code (PostcardReader)type} that reads a value of {@code type} exactly as {@code codec} does:
     * a primitive straight into the primitive where {@code codec} is its scalar codec (no box), anything else through
     * {@link PostcardCodec#decode}. It fails as the codec does ({@link RapaceException}, {@code INVALID_ARGUMENT}).
     */
    public static MethodHandle reader(PostcardCodec<?> codec, Class<?> type) {
        String name = readerMethod(codec, type);
        if (name == null) {
            return Handles.DECODE.bindTo(codec).asType(MethodType.methodType(type, PostcardReader.class));
        }
        return virtual(PostcardReader.class, name, MethodType.methodType(type));
    }

    /**
     * The name of {@link PostcardReader}'s method, of type {@code ()type}, that reads a value of {@code type} exactly
     * as {@code codec} does where {@code codec} is the scalar codec of primitive {@code type} (such as
     * {@code readU32} for an {@code int} read as {@code u32}); null for any other codec, which reads through
     * {@link PostcardCodec#decode}.
     *
     * @throws IllegalArgumentException when {@code type} is {@code void}
     */
    public static @Nullable String readerMethod(PostcardCodec<?> codec, Class<?> type) {
        ScalarCodec scalar = primitiveScalar(codec, type);
        if (scalar == null) {
            return null;
        }
        return "read" + methodSuffix(scalar);
    }

    /**
     * What follows {@code read} or {@code write} in the name of {@link PostcardReader}'s and {@link PostcardWriter}'s
     * methods for {@code scalar}, the codec of a primitive type: {@code U32} for {@code readU32} and {@code writeU32}.
     */
    private static String methodSuffix(ScalarCodec scalar) {
        return switch (scalar) {
            case BOOL -> "Bool";
            case I8, U8 -> "Byte";
            case I16 -> "I16";
            case U16 -> "U16";
            case I32 -> "I32";
            case U32 -> "U32";
            case I64 -> "I64";
            case U64 -> "U64";
            case F32 -> "F32";
            case F64 -> "F64";
            case CHAR -> "Char";
            case STRING, BYTES, UNIT -> throw new IllegalStateException("no primitive type: " + scalar);
        };
    }

    /** {@code codec} when it is the scalar codec of primitive {@code type} (not {@code void}), else null. */
    private static @Nullable ScalarCodec primitiveScalar(PostcardCodec<?> codec, Class<?> type) {
        if (type == void.class) {
            throw new IllegalArgumentException("void values are neither written nor read");
        }
        return codec instanceof ScalarCodec scalar && type.isPrimitive() && type == javaType(scalar) ? scalar : null;
    }

    private static MethodHandle virtual(Class<?> owner, String name, MethodType type) {
        try {
            return LOOKUP.findVirtual(owner, name, type);
        }
        catch (ReflectiveOperationException ex) {
            throw new IllegalStateException(owner.getSimpleName() + "." + name + " is missing", ex);
        }
    }

    /**
     * Whether values of {@code codec} can be read as raw bits by {@link #decodeBits}: it is the scalar codec of a
     * primitive type, or the unit ({@code void}).
     */
    public static boolean hasBits(PostcardCodec<?> codec) {
        return codec instanceof ScalarCodec scalar && javaType(scalar) != null;
    }

    /**
     * Decodes one value of {@code codec} (for which {@link #hasBits} holds) that must fill {@code length} bytes of
     * {@code bytes} from {@code offset} exactly, as its raw bits: an integer sign-extended from its Java type,
     * {@code false}/{@code true} as 0/1, a {@code char} as its code unit, a float's or double's IEEE 754 bits, 0 for
     * the unit. Nothing is allocated on a platform thread.
     *
     * @throws RapaceException with {@link io.rapace.core.ErrorCode#INVALID_ARGUMENT} when the bytes are not a
     *     valid encoding or have trailing bytes
     * @throws IllegalArgumentException when {@code codec} has no bits
     */
    public static long decodeBits(PostcardCodec<?> codec, byte[] bytes, int offset, int length) {
        if (!(codec instanceof ScalarCodec scalar) || javaType(scalar) == null) {
            throw noBits(codec);
        }
        return Codecs.decodeBits(scalar, bytes, offset, length);
    }

    /**
     * Writes a value of {@code codec} (for which {@link #hasBits} holds) from its raw bits as {@link #decodeBits}
     * describes them, exactly as {@code codec} writes the value they stand for; nothing for the unit. Nothing is
     * allocated.
     *
     * @throws PostcardEncodeException when the bits are a {@code char} that is a lone surrogate
     * @throws IllegalArgumentException when {@code codec} has no bits
     */
    public static void encodeBits(PostcardCodec<?> codec, PostcardWriter out, long bits) {
        // One switch an answer: the scalars without bits are its last case, not a look beforehand.
        if (!(codec instanceof ScalarCodec scalar)) {
            throw noBits(codec);
        }
        switch (scalar) {
            // Narrowing keeps the low bits, as a client turns bits back into its value: a boolean is the lowest.
            case BOOL -> out.writeBool((bits & 1) != 0);
            case I8, U8 -> out.writeByte((int) bits);
            case I16 -> out.writeI16((short) bits);
            case U16 -> out.writeU16((short) bits);
            case I32 -> out.writeI32((int) bits);
            case U32 -> out.writeU32((int) bits);
            case I64 -> out.writeI64(bits);
            case U64 -> out.writeU64(bits);
            case F32 -> out.writeF32(Float.intBitsToFloat((int) bits));
            case F64 -> out.writeF64(Double.longBitsToDouble(bits));
            case CHAR -> out.writeChar((char) bits);
            case UNIT -> {
            }
            case STRING, BYTES -> throw noBits(codec);
        }
    }

    private static IllegalArgumentException noBits(PostcardCodec<?> codec) {
        return new IllegalArgumentException(codec + " is not the codec of a primitive type or the unit");
    }

    /**
     * A handle of type {@code (type)long}: a value of primitive {@code type} as its raw bits, as {@link #decodeBits}
     * describes them ({@code ()long} giving 0 for {@code void}).
     *
     * @throws IllegalArgumentException when {@code type} is not primitive
     */
    public static MethodHandle toBits(Class<?> type) {
        if (!type.isPrimitive()) {
            throw new IllegalArgumentException(type + " is not a primitive type");
        }
        if (type == void.class) {
            return MethodHandles.constant(long.class, 0L);
        }
        if (type == float.class) {
            return MethodHandles.explicitCastArguments(Handles.FLOAT_TO_BITS,
                    MethodType.methodType(long.class, float.class));
        }
        if (type == double.class) {
            return Handles.DOUBLE_TO_BITS;
        }
        // Widening sign-extends an integer, zero-extends a char; a boolean becomes 0 or 1.
        return MethodHandles.explicitCastArguments(MethodHandles.identity(long.class),
                MethodType.methodType(long.class, type));
    }

    /**
     * The handles the others are made of, made at their first use: generated clients and served methods read and
     * write their primitives without any ({@link #readerMethod}, {@link #writerMethod}, {@link #encodeBits}), and each
     * handle made costs a fresh JVM a class.
     */
    private static final class Handles {

        static final MethodHandle DECODE;

        static final MethodHandle FLOAT_TO_BITS;

        static final MethodHandle DOUBLE_TO_BITS;

        static {
            try {
                DECODE = LOOKUP.findVirtual(PostcardCodec.class, "decode",
                        MethodType.methodType(Object.class, PostcardReader.class));
                FLOAT_TO_BITS = LOOKUP.findStatic(Float.class, "floatToRawIntBits",
                        MethodType.methodType(int.class, float.class));
                DOUBLE_TO_BITS = LOOKUP.findStatic(Double.class, "doubleToRawLongBits",
                        MethodType.methodType(long.class, double.class));
            }
            catch (ReflectiveOperationException ex) {
                throw new ExceptionInInitializerError(ex);
            }
        }

        private Handles() {
        }
    }

    /** The primitive type whose values {@code scalar} encodes ({@code void} for the unit), or null for none. */
    private static @Nullable Class<?> javaType(ScalarCodec scalar) {
        return switch (scalar) {
            case BOOL -> boolean.class;
            case I8, U8 -> byte.class;
            case I16, U16 -> short.class;
            case I32, U32 -> int.class;
            case I64, U64 -> long.class;
            case F32 -> float.class;
            case F64 -> double.class;
            case CHAR -> char.class;
            case UNIT -> void.class;
            case STRING, BYTES -> null;
        };
    }

    /** Reads one value of {@code scalar} as {@link #decodeBits} describes its bits. */
    static long readBits(ScalarCodec scalar, PostcardReader in) {
        return switch (scalar) {
            case BOOL -> in.readBool() ? 1 : 0;
            case I8, U8 -> in.readByte();
            case I16 -> in.readI16();
            case U16 -> in.readU16();
            case I32 -> in.readI32();
            case U32 -> in.readU32();
            case I64 -> in.readI64();
            case U64 -> in.readU64();
            case F32 -> Float.floatToRawIntBits(in.readF32());
            case F64 -> Double.doubleToRawLongBits(in.readF64());
            case CHAR -> in.readChar();
            case UNIT -> 0;
            case STRING, BYTES -> throw new IllegalStateException("no primitive type: " + scalar);
        };
    }
}
