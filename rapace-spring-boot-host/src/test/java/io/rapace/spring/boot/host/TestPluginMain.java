package io.rapace.spring.boot.host;

import java.util.ArrayList;
import java.util.List;

import io.rapace.core.runtime.RapacePlugin;
import reactor.core.publisher.Flux;

/**
 * A plugin process for the tests; its behaviour comes from the environment variable {@code TEST_PLUGIN_MODE}:
 * {@code serve} (default) serves {@link Adder}; {@code exit:N} prints two lines and exits with N before opening
 * the segment; {@code silent} prints a line and never opens the segment; {@code crash-after:MS} serves, then exits
 * with code 3 after MS milliseconds.
 */
public final class TestPluginMain {

    private TestPluginMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        String mode = System.getenv().getOrDefault("TEST_PLUGIN_MODE", "serve");
        if (mode.startsWith("exit:")) {
            System.out.println("test plugin: starting");
            System.err.println("test plugin: cannot go on, exiting with " + mode.substring(5));
            System.exit(Integer.parseInt(mode.substring(5)));
        }
        if (mode.equals("silent")) {
            System.out.println("test plugin: waiting forever without opening the segment");
            Thread.sleep(Long.MAX_VALUE);
        }
        if (mode.startsWith("crash-after:")) {
            long millis = Long.parseLong(mode.substring("crash-after:".length()));
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    Thread.sleep(millis);
                }
                catch (InterruptedException ex) {
                    return;
                }
                System.err.println("test plugin: crashing on purpose");
                Runtime.getRuntime().halt(3);
            });
        }
        System.out.println("test plugin: serving Adder");
        RapacePlugin.run(args, new Adder() {
            @Override
            public int add(int a, int b) {
                return a + b;
            }

            @Override
            public Flux<Integer> range(int n) {
                return Flux.range(0, n);
            }

            @Override
            public void hang() {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        });
    }

    /** The command that runs this class in a child JVM with this JVM's binary and class path. */
    static List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xshare:auto");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TestPluginMain.class.getName());
        return command;
    }
}
