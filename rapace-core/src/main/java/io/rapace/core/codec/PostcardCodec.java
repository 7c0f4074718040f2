package io.rapace.core.codec;

import org.jspecify.annotations.Nullable;

/**
 * Encodes and decodes one Java type in postcard (spec §6). Instances are immutable and thread-safe; get them from
 * {@link Codecs}, which builds them from the Java type (records, sealed interfaces, enums, lists, maps, options and
 * the scalars, with their markers). The set is closed: the codecs are the Java side of the wire contract, each
 * checked against the golden vectors and holding the limits that make hostile input harmless (counts checked
 * against the bytes left, bounded zero-sized elements and nesting), so no other implementation can be plugged in.
 * A Rust type with no direct Java counterpart is declared as the record, sealed interface or enum of the same
 * shape ({@code docs/codec.md}).
 *
 * <p>{@link #decode} fails only with {@link io.rapace.core.RapaceException} carrying
 * {@link io.rapace.core.ErrorCode#INVALID_ARGUMENT}; {@link #encode} fails with {@link PostcardEncodeException} when
 * the value cannot be represented (a {@code null} where no {@code Option} is declared, a {@code [u8; N]} of the wrong
 * length, a string with an unpaired surrogate).
 *
 * @param <T> the Java type; nullable exactly when the codec is an {@code Option} or the unit
 */
public sealed interface PostcardCodec<T extends @Nullable Object> permits ScalarCodec, FixedBytesCodec, EnumCodec,
        RecordCodec, SealedCodec, SequenceCodec, MapCodec, OptionalCodec, NullableCodec, TupleCodec, ForwardCodec,
        DepthLimitedCodec {

    /**
     * Appends the value's encoding to {@code out}. When it throws, {@code out} holds a partial encoding: reset it
     * before reusing it.
     */
    void encode(T value, PostcardWriter out);

    /** Reads one value from {@code in}, advancing it past the value's bytes. */
    T decode(PostcardReader in);

    /**
     * The fewest bytes any value of this type takes on the wire; decoders use it to reject element counts that the
     * remaining input cannot hold. The default, 0, is always safe.
     */
    default int minEncodedSize() {
        return 0;
    }
}
