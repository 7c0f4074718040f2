package io.rapace.test;

import io.rapace.core.runtime.RapacePlugin;

/** A plugin that does not exit on SIGTERM: a shutdown hook that never ends keeps its JVM alive. */
public final class StubbornPluginMain {

    private StubbornPluginMain() {
    }

    public static void main(String[] args) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stubborn plugin: ignoring the stop");
            try {
                Thread.sleep(600_000);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }));
        RapacePlugin.run(args, new GreeterImpl());
    }
}
