package io.rapace.core.codec;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code byte}, {@code short}, {@code int} or {@code long} (or its box) as the unsigned Rust type of the
 * same width: {@code u8}, {@code u16}, {@code u32} or {@code u64}.
 *
 * <p>The Java value carries the unsigned value's bits, as {@link Integer#toUnsignedLong(int)} reads them: an
 * {@code @Unsigned int} of {@code -1} is the {@code u32} 4294967295 on the wire. Every Java value therefore has a
 * wire value, and decoding rejects wire values that do not fit the width.
 *
 * <p>Put it on the type use, also inside type arguments: {@code List<@Unsigned Integer>}, {@code @Unsigned long id}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE_USE, ElementType.PARAMETER, ElementType.METHOD, ElementType.FIELD,
        ElementType.RECORD_COMPONENT })
public @interface Unsigned {
}
