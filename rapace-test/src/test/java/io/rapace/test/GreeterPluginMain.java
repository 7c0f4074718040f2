package io.rapace.test;

import io.rapace.core.runtime.RapacePlugin;

/** A well-behaved plugin: prints a line, serves {@link Greeter} until the host stops it. */
public final class GreeterPluginMain {

    /** Printed at start, so that tests can find it in the plugin's log. */
    static final String STARTED = "greeter plugin starting";

    private GreeterPluginMain() {
    }

    public static void main(String[] args) {
        System.out.println(STARTED);
        RapacePlugin.run(args, new GreeterImpl());
    }
}
