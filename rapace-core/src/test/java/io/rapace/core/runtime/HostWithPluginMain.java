package io.rapace.core.runtime;

import java.lang.ProcessBuilder.Redirect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A host process for the host-death tests: launches {@link CalculatorPluginMain} as its child (so that the
 * plugin's parent is the host), prints the plugin's pid once it heartbeats, and waits to be killed. With a
 * file as its argument, the plugin runs under {@code sh}, which writes the plugin's exit code to that file
 * (a grandchild's exit code cannot be read otherwise); the host is then the plugin's grandparent.
 */
public final class HostWithPluginMain {

    private HostWithPluginMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<String> plugin = ChildJvm.command(CalculatorPluginMain.class);
        if (args.length == 1) {
            List<String> wrapped = new ArrayList<>(List.of("sh", "-c", "\"$@\"; echo $? > \"" + args[0] + "\"", "sh"));
            wrapped.addAll(plugin);
            plugin = wrapped;
        }
        // Inherited, not forwarded: what the plugin prints once this host is killed must still reach the test.
        RapaceHost host = RapaceHost.builder().command(plugin).redirectOutput(Redirect.INHERIT)
                .redirectError(Redirect.INHERIT).start();
        host.awaitPluginStarted(Duration.ofSeconds(60));
        System.out.println(host.process().pid());
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(10));
    }
}
