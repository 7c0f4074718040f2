package io.rapace.core.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Entry point of the postcard codec: the codec of a Java type (built once, then cached), tuples of method
 * arguments, and whole-buffer encoding and decoding.
 *
 * <p>Java types map to Rust types as spec §6 and {@code docs/codec.md} describe; the markers {@link Unsigned},
 * {@link FixedLength} and jspecify's {@code @Nullable} on type uses choose among the Rust types one Java type can
 * stand for. Unsupported types are rejected when the codec is built, with an {@link IllegalArgumentException}
 * naming the type and where it was found.
 */
public final class Codecs {

    private static final CodecFactory FACTORY = new CodecFactory();

    private Codecs() {
    }

    /**
     * The codec of a Java type as declared, markers included (for example a method parameter's
     * {@link Method#getAnnotatedParameterTypes()} or a record component's annotated type).
     *
     * @throws IllegalArgumentException when the type is not supported
     */
    public static PostcardCodec<?> of(AnnotatedType type) {
        return untyped(type);
    }

    /**
     * The codec of {@code type} as {@code Object}, for callers that handle values generically (such as method
     * dispatch).
     *
     * @throws IllegalArgumentException when the type is not supported
     */
    public static PostcardCodec<@Nullable Object> untyped(AnnotatedType type) {
        return FACTORY.codecFor(TypeShapes.of(type, Map.of()));
    }

    /**
     * The codec of a non-generic class with no markers (signed integers, no {@code Option}).
     *
     * @throws IllegalArgumentException when the type is not supported or is generic
     */
    @SuppressWarnings("unchecked")
    public static <T> PostcardCodec<T> of(Class<T> type) {
        return (PostcardCodec<T>) FACTORY.codecFor(TypeShapes.of(type));
    }

    /**
     * The codec of a type captured with {@link TypeRef}, such as {@code new TypeRef<List<@Unsigned Integer>>() {}}.
     *
     * @throws IllegalArgumentException when the type is not supported
     */
    @SuppressWarnings("unchecked")
    public static <T extends @Nullable Object> PostcardCodec<T> of(TypeRef<T> type) {
        return (PostcardCodec<T>) FACTORY.codecFor(TypeShapes.of(type.annotatedType(), Map.of()));
    }

    /**
     * The codec of method arguments as a tuple: zero elements encode to nothing, one element to that value alone,
     * several to their encodings concatenated. Values are passed as an {@code Object[]} of the same length.
     */
    public static PostcardCodec<@Nullable Object[]> tuple(List<? extends PostcardCodec<?>> elements) {
        return new TupleCodec(elements);
    }

    /**
     * What encoding argument {@code index} ({@code value}, declared as {@code codec}'s type) threw, as the arguments'
     * encoder reports it, whether it encodes the tuple or one argument after another (a typed client): a
     * {@link PostcardEncodeException} placed at {@code arguments[index]}; a {@link ClassCastException} (a value a
     * generic type's erasure let through) as one that names the value's class and the declared type; anything else
     * as it is.
     */
    public static RuntimeException argumentFailure(RuntimeException failure, int index, PostcardCodec<?> codec,
            @Nullable Object value) {
        String segment = "[" + index + "]";
        return switch (failure) {
            case PostcardEncodeException encode -> encode.within("arguments", segment);
            case ClassCastException cast -> new PostcardEncodeException("a " + (value == null ? "null"
                    : value.getClass().getName()) + " where " + codec + " is declared (" + cast.getMessage() + ")")
                    .within("arguments", segment);
            default -> failure;
        };
    }

    /**
     * The tuple codec of a method's parameters, from their annotated types.
     *
     * @throws IllegalArgumentException when a parameter's type is not supported (the message names the parameter)
     */
    public static PostcardCodec<@Nullable Object[]> parameters(Method method) {
        AnnotatedType[] types = method.getAnnotatedParameterTypes();
        List<PostcardCodec<?>> elements = new ArrayList<>(types.length);
        for (int i = 0; i < types.length; i++) {
            try {
                elements.add(of(types[i]));
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("parameter " + i + " (" + method.getParameters()[i].getName()
                        + ") of " + method.getDeclaringClass().getName() + "." + method.getName() + ": "
                        + ex.getMessage(), ex);
            }
        }
        return tuple(elements);
    }

    /** Encodes {@code value} into a new array of exactly its encoded length. */
    public static <T extends @Nullable Object> byte[] encode(PostcardCodec<T> codec, T value) {
        PostcardWriter out = takeWriter();
        try {
            codec.encode(value, out);
            return out.toByteArray();
        }
        finally {
            releaseWriter(out);
        }
    }

    /**
     * An empty writer for one encoding on this thread: a platform thread's reusable one when it is free (give it
     * back with {@link #releaseWriter} once its bytes are used), else a fresh one. A virtual thread lives for one
     * call or task (a thread-local would cost more than it saves), and an encoding nested in another on one thread
     * finds the reusable writer taken.
     */
    public static PostcardWriter takeWriter() {
        ThreadBuffers scratch = ThreadBuffers.ofPlatformThread();
        if (scratch == null || scratch.writerBusy) {
            return new PostcardWriter(SMALL_CAPACITY);
        }
        scratch.writerBusy = true;
        PostcardWriter out = scratch.writer;
        out.reset();
        return out;
    }

    /** Gives back a writer from {@link #takeWriter()}, on the same thread (a fresh one is simply dropped). */
    public static void releaseWriter(PostcardWriter out) {
        ThreadBuffers scratch = ThreadBuffers.ofPlatformThread();
        if (scratch == null || scratch.writer != out) {
            return;
        }
        scratch.writerBusy = false;
        if (out.buffer().length > SCRATCH_KEEP_LIMIT) {
            scratch.writer = new PostcardWriter(SCRATCH_CAPACITY);  // never keep a huge buffer per thread
        }
    }

    /** First buffer of a one-off writer: most payloads are small, and it doubles as needed. */
    private static final int SMALL_CAPACITY = 16;

    private static final int SCRATCH_CAPACITY = 256;

    private static final int SCRATCH_KEEP_LIMIT = 64 * 1024;

    /**
     * A platform thread's reusable writer and reader: {@link #encode} then allocates only the exact result array, and
     * a session sends straight from it, which matters on the receive threads and long-lived callers that encode
     * every call; {@link #decode(PostcardCodec, byte[], int, int)} makes no reader (a reader made per decode escapes
     * into the codec, whose call site sees many codecs, so escape analysis cannot remove it).
     */
    private static final ThreadLocal<ThreadBuffers> SCRATCH = ThreadLocal.withInitial(ThreadBuffers::new);

    /** Nothing to read: what the reusable reader holds between decodes (it keeps no caller's array). */
    private static final byte[] NOTHING = new byte[0];

    /** The per-thread writer and reader, and whether a use on this thread holds each. Confined to its thread. */
    private static final class ThreadBuffers {

        private PostcardWriter writer = new PostcardWriter(SCRATCH_CAPACITY);

        private boolean writerBusy;

        private final PostcardReader reader = new PostcardReader(NOTHING);

        private boolean readerBusy;

        /** This platform thread's buffers; none for a virtual thread (it lives for one call or task). */
        static @Nullable ThreadBuffers ofPlatformThread() {
            return Thread.currentThread().isVirtual() ? null : SCRATCH.get();
        }
    }

    /**
     * Decodes one value that must fill {@code bytes} exactly.
     *
     * @throws io.rapace.core.RapaceException with {@link io.rapace.core.ErrorCode#INVALID_ARGUMENT} when the bytes
     *         are not a valid encoding or have trailing bytes
     */
    public static <T extends @Nullable Object> T decode(PostcardCodec<T> codec, byte[] bytes) {
        return decode(codec, bytes, 0, bytes.length);
    }

    /**
     * Decodes one value that must fill {@code payload} exactly, reading it where it is (for instance in the
     * shared-memory mapping). A {@code Vec<u8>} ({@code byte[]}) is copied once, straight into the result;
     * other values are copied out, then decoded.
     *
     * @throws io.rapace.core.RapaceException with {@link io.rapace.core.ErrorCode#INVALID_ARGUMENT} as {@link #decode(PostcardCodec, byte[])}
     */
    @SuppressWarnings("unchecked")
    public static <T extends @Nullable Object> T decode(PostcardCodec<T> codec, MemorySegment payload) {
        if (codec == ScalarCodec.BYTES) {
            byte[] direct = ByteVecs.copyOut(payload);
            if (direct != null) {
                return (T) direct;
            }
        }
        return decode(codec, payload.toArray(ValueLayout.JAVA_BYTE));
    }

    /** Decodes one value that must fill {@code length} bytes of {@code bytes} from {@code offset} exactly. */
    public static <T extends @Nullable Object> T decode(PostcardCodec<T> codec, byte[] bytes, int offset,
            int length) {
        PostcardReader in = takeReader(bytes, offset, length);
        try {
            T value = codec.decode(in);
            in.expectEnd();
            return value;
        }
        finally {
            releaseReader(in);
        }
    }

    /** {@link Unboxed#decodeBits}: the same reader as {@link #decode(PostcardCodec, byte[], int, int)}, no box. */
    static long decodeBits(ScalarCodec scalar, byte[] bytes, int offset, int length) {
        PostcardReader in = takeReader(bytes, offset, length);
        try {
            long bits = Unboxed.readBits(scalar, in);
            in.expectEnd();
            return bits;
        }
        finally {
            releaseReader(in);
        }
    }

    /**
     * A reader over {@code length} bytes of {@code bytes} from {@code offset}: the platform thread's reusable one when
     * it is free (give it back with {@link #releaseReader} once read), else (a virtual thread, or a decode nested in
     * another on this thread: a record constructor that decodes) a fresh one.
     */
    public static PostcardReader takeReader(byte[] bytes, int offset, int length) {
        ThreadBuffers scratch = ThreadBuffers.ofPlatformThread();
        if (scratch == null || scratch.readerBusy) {
            return new PostcardReader(bytes, offset, length);
        }
        scratch.readerBusy = true;
        PostcardReader in = scratch.reader;
        in.resetOver(bytes, offset, length);
        return in;
    }

    /**
     * Gives back a reader from {@link #takeReader}, on the same thread, letting go of the caller's bytes (a fresh one is
     * simply dropped).
     */
    public static void releaseReader(PostcardReader in) {
        ThreadBuffers scratch = ThreadBuffers.ofPlatformThread();
        if (scratch != null && scratch.reader == in) {
            in.resetOver(NOTHING, 0, 0);
            scratch.readerBusy = false;
        }
    }
}
