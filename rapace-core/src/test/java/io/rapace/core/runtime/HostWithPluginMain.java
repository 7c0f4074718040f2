package io.rapace.core.runtime;

import java.time.Duration;

/**
 * A host process for the host-death test: launches {@link CalculatorPluginMain} as its child (so that the
 * plugin's parent is the host), prints the plugin's pid once it heartbeats, and waits to be killed.
 */
public final class HostWithPluginMain {

    private HostWithPluginMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        RapaceHost host = RapaceHost.builder().command(ChildJvm.command(CalculatorPluginMain.class)).start();
        host.awaitPluginStarted(Duration.ofSeconds(60));
        System.out.println(host.process().pid());
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(10));
    }
}
