package io.rapace.core.runtime;

import java.time.Duration;

import io.rapace.core.service.ClientOptions;

/**
 * A host process for the host-shutdown test: launches {@link SleeperPluginMain} (its standard output forwarded,
 * the default, so the plugin's lines reach the test, those it prints while it drains included), prints {@code PLUGIN pid} and {@code PATH path} once the plugin heartbeats,
 * starts a call of {@code args[0]} ms, and waits to be stopped (SIGTERM from the test).
 */
public final class SigtermedHostMain {

    private SigtermedHostMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        long millis = Long.parseLong(args[0]);
        RapaceHost host = RapaceHost.builder().command(ChildJvm.command(SleeperPluginMain.class))
                .stopTimeout(Duration.ofSeconds(60)).start();
        host.awaitPluginStarted(Duration.ofSeconds(120));
        System.out.println("PLUGIN " + host.process().pid());
        System.out.println("PATH " + host.path());
        System.out.flush();
        Sleeper sleeper = host.client(Sleeper.class, ClientOptions.defaults().withTimeout(Duration.ofSeconds(120)));
        Thread.ofPlatform().daemon(true).start(() -> sleeper.sleep(millis));
        Thread.sleep(Duration.ofMinutes(10));
    }
}
