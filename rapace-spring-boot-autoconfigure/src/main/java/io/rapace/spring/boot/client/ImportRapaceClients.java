package io.rapace.spring.boot.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Import;

/**
 * Registers one bean per listed interface: a client of that host service, made by the
 * {@link RapaceClientFactory}. Put it on any {@code @Configuration} class:
 *
 * <pre class="code">
 * &#64;SpringBootApplication
 * &#64;ImportRapaceClients(HostLog.class)
 * class MyPlugin { ... }
 * </pre>
 *
 * The bean is named after the interface ({@code hostLog}) and can be injected anywhere; its calls fail with
 * {@link IllegalStateException} while no session runs (and always when no segment path is configured).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Import(RapaceClientsRegistrar.class)
public @interface ImportRapaceClients {

    /** The host service interfaces to make clients of. */
    Class<?>[] value();
}
