package io.rapace.core.codec;

import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * A Java type as the codec sees it: the raw class, the shapes of its type arguments and the markers on the type
 * use. Unlike {@link java.lang.reflect.AnnotatedType} it has structural equality, so it keys the codec cache.
 *
 * @param raw the erased class ({@code byte[].class} for byte arrays)
 * @param arguments the shapes of the type arguments, in order; empty for non-generic types
 * @param unsigned whether {@link Unsigned} marks the type use
 * @param fixedLength {@link FixedLength#value()}, or {@link #NO_FIXED_LENGTH}
 * @param nullable whether jspecify's {@code @Nullable} marks the type use (meaning {@code Option<T>})
 */
record TypeShape(Class<?> raw, List<TypeShape> arguments, boolean unsigned, int fixedLength, boolean nullable) {

    /** {@link #fixedLength()} when no {@link FixedLength} is present. */
    static final int NO_FIXED_LENGTH = -1;

    TypeShape {
        arguments = List.copyOf(arguments);
    }

    /** The shape of a plain class with no markers. */
    static TypeShape of(Class<?> raw) {
        return new TypeShape(raw, List.of(), false, NO_FIXED_LENGTH, false);
    }

    /** This shape with the nullable marker set as given. */
    TypeShape withNullable(boolean value) {
        return new TypeShape(this.raw, this.arguments, this.unsigned, this.fixedLength, value);
    }

    /**
     * Written out, like {@link #hashCode()}, rather than left to the record's generated methods: those are linked
     * through {@code invokedynamic} on first use, about 12 ms of every cold start (the codec cache is used at once).
     */
    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof TypeShape shape && this.raw == shape.raw && this.unsigned == shape.unsigned
                && this.fixedLength == shape.fixedLength && this.nullable == shape.nullable
                && this.arguments.equals(shape.arguments);
    }

    @Override
    public int hashCode() {
        int hash = this.raw.hashCode();
        hash = 31 * hash + this.arguments.hashCode();
        hash = 31 * hash + Boolean.hashCode(this.unsigned);
        hash = 31 * hash + this.fixedLength;
        return 31 * hash + Boolean.hashCode(this.nullable);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        if (this.nullable) {
            text.append("@Nullable ");
        }
        if (this.unsigned) {
            text.append("@Unsigned ");
        }
        if (this.fixedLength != NO_FIXED_LENGTH) {
            text.append("@FixedLength(").append(this.fixedLength).append(") ");
        }
        text.append(this.raw.getTypeName());
        if (!this.arguments.isEmpty()) {
            text.append(this.arguments.stream().map(TypeShape::toString).collect(Collectors.joining(", ", "<", ">")));
        }
        return text.toString();
    }
}
