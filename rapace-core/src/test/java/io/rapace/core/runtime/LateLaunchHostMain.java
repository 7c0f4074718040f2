package io.rapace.core.runtime;

import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.util.List;

/**
 * A host whose JVM is already shutting down when it launches a plugin (from a shutdown hook, as a supervisor that
 * restarts a plugin at the wrong moment would): {@code args[0]} is the segment path, {@code args[1]} a file the
 * stand-in plugin creates when it runs. Prints {@code refused: MESSAGE} or {@code launched: PID}.
 */
public final class LateLaunchHostMain {

    private LateLaunchHostMain() {
    }

    public static void main(String[] args) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                RapaceHost host = RapaceHost.builder().path(Path.of(args[0]))
                        .command(List.of("sh", "-c", "touch \"$0\"; exec sleep 120", args[1]))
                        .redirectOutput(Redirect.DISCARD).start();
                System.out.println("launched: " + host.process().pid());
            }
            catch (RuntimeException ex) {
                System.out.println("refused: " + ex.getMessage());
            }
            System.out.flush();
        }));
        System.exit(0);
    }
}
