package io.rapace.test;

import java.time.Duration;
import java.util.List;

/**
 * How the extension runs its plugin.
 *
 * @param jvmOptions options of the child JVM, after the defaults
 * @param arguments plugin arguments, before the segment path
 * @param hostServices services the host serves to the plugin
 * @param startTimeout how long the plugin may take to open its segment
 * @param stopTimeout how long the plugin may take to exit after SIGTERM at the end
 * @param callTimeout the default deadline of client calls
 * @param lifecycle per class or per test
 * @param logTailLines how many log lines a failure shows
 * @param pathArgumentPrefix what goes before the segment path in the last argument
 */
record PluginSettings(List<String> jvmOptions, List<String> arguments, List<Object> hostServices,
        Duration startTimeout, Duration stopTimeout, Duration callTimeout, PluginLifecycle lifecycle,
        int logTailLines, String pathArgumentPrefix) {

    static final PluginSettings DEFAULTS = new PluginSettings(List.of(), List.of(), List.of(), Duration.ofSeconds(60),
            Duration.ofSeconds(15), Duration.ofSeconds(30), PluginLifecycle.PER_CLASS, 40, "");

    PluginSettings {
        jvmOptions = List.copyOf(jvmOptions);
        arguments = List.copyOf(arguments);
        hostServices = List.copyOf(hostServices);
        requirePositive(startTimeout, "startTimeout");
        requirePositive(stopTimeout, "stopTimeout");
        requirePositive(callTimeout, "callTimeout");
        if (logTailLines < 0) {
            throw new IllegalArgumentException("logTailLines must be >= 0, was " + logTailLines);
        }
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
