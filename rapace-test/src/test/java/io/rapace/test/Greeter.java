package io.rapace.test;

import io.rapace.core.service.RapaceService;

/** The service of the kit's test plugins. */
@RapaceService
public interface Greeter {

    String greet(String name);

    /** The plugin process's id (this JVM's in the in-JVM mode). */
    long pid();

    /** Ends the plugin process at once with {@code code}, never answering. */
    void halt(int code);
}
