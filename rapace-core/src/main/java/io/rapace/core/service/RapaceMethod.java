package io.rapace.core.service;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Overrides the wire name of a service method. Without it, a method's wire name is its Java name in
 * snake_case: an underscore goes before an upper-case letter that follows a lower-case letter or a digit, and
 * before the last capital of an acronym followed by a lower-case letter; digits never start a word
 * ({@code listItems -> list_items}, {@code getItemById -> get_item_by_id},
 * {@code parseHTTPHeader -> parse_http_header}, {@code sha256 -> sha256}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RapaceMethod {

    /** The method name on the wire; empty means the snake_case form of the Java name. */
    String name() default "";
}
