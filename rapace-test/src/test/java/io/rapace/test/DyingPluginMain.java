package io.rapace.test;

/** A plugin that fails during start-up: prints why on stderr and exits with 3 before opening the segment. */
public final class DyingPluginMain {

    static final String WHY = "cannot start: the setting greeter.language is missing";

    private DyingPluginMain() {
    }

    public static void main(String[] args) {
        System.err.println(WHY);
        System.exit(3);
    }
}
