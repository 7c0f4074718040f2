package io.rapace.core.service;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Overrides the wire name of a service method. Without it, a method's wire name is its Java name in
 * snake_case ({@code listItems} becomes {@code list_items}, see {@link MethodIds#toSnakeCase(String)}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RapaceMethod {

    /** The method name on the wire; empty means the snake_case form of the Java name. */
    String name() default "";
}
