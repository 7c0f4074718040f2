package io.rapace.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.rapace.core.runtime.RapaceHost;

/**
 * A host process for {@link SpringPluginExitCodeTests#hostThatDiesMeansExitOne}: launches
 * {@link SlowSpringPluginMain} under {@code sh}, which writes the plugin's exit code to the file named by the only
 * argument (a grandchild's exit code cannot be read otherwise), prints {@code READY} once the plugin heartbeats,
 * and waits to be killed.
 */
public final class SpringPluginHostMain {

    private SpringPluginHostMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<String> command = List.of("sh", "-c", "\"$@\"; echo $? > \"" + args[0] + "\"", "sh",
                ProcessHandle.current().info().command().orElseThrow(), "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), SlowSpringPluginMain.class.getName(),
                "--rapace.liveness-timeout=1s");
        RapaceHost host = RapaceHost.builder().command(command).pathArgumentPrefix("--rapace.shm.path=").start();
        host.awaitPluginStarted(Duration.ofSeconds(120));
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(10));
    }
}
