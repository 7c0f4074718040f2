package io.rapace.core.runtime;

import java.time.Duration;
import java.util.Arrays;

/**
 * A plugin that fails at start-up, in the way its first argument names (the host appends the segment path):
 * {@code throw} (an exception out of {@code main}), {@code exit3} ({@code System.exit(3)}), {@code open} (a
 * {@link RapacePlugin} given a path where no segment is: it gives up after 1 s), {@code flood} (far more
 * output than a pipe holds on both streams, then exit code 2).
 */
public final class StartupFailureMain {

    /** How many lines {@code flood} prints on each stream. */
    static final int FLOOD_LINES = 20_000;

    private StartupFailureMain() {
    }

    public static void main(String[] args) {
        switch (args[0]) {
            case "throw" -> {
                System.out.println("loading the plugin's configuration");
                throw new IllegalStateException("no database at db.example:5432");
            }
            case "exit3" -> {
                System.err.println("giving up: the licence file is missing");
                System.exit(3);
            }
            case "open" -> RapacePlugin.builder().services(new CalculatorImpl()).openTimeout(Duration.ofSeconds(1))
                    .build().run(Arrays.copyOfRange(args, 1, args.length));
            case "flood" -> {
                for (int i = 0; i < FLOOD_LINES; i++) {
                    System.out.println(floodLine("out", i));
                    System.err.println(floodLine("err", i));
                }
                System.err.println("flood done");
                System.exit(2);
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    static String floodLine(String stream, int number) {
        return stream + " line " + number + " of the flood";
    }
}
