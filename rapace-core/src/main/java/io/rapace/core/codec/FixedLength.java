package io.rapace.core.codec;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code byte[]} as the Rust fixed-size array {@code [u8; N]}: exactly {@link #value()} raw bytes on the
 * wire, with no length prefix. Encoding an array of another length is rejected.
 *
 * <p>Both {@code @FixedLength(32) byte[] hash} and {@code byte @FixedLength(32) [] hash} are understood.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE_USE, ElementType.PARAMETER, ElementType.METHOD, ElementType.FIELD,
        ElementType.RECORD_COMPONENT })
public @interface FixedLength {

    /** The number of bytes, {@code N} in {@code [u8; N]}; not negative. */
    int value();
}
