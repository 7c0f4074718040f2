package io.rapace.core.service;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a rapace service: on an implementation class it makes the class servable, on an interface it
 * names the service that clients of the interface call.
 *
 * <p>The service name (the part before the dot in {@code "Service.method"}, spec §5) is {@link #value()}
 * when given; otherwise it is the simple name of the Java interface that declares the methods. The
 * annotation is inherited, so that subclasses (framework proxies among them) keep it.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RapaceService {

    /** The service name on the wire; empty means the simple name of the service interface. */
    String value() default "";

    /**
     * The service interface when the implementation class implements several interfaces; {@code void.class}
     * (the default) means the only interface the class implements.
     */
    Class<?> iface() default void.class;
}
