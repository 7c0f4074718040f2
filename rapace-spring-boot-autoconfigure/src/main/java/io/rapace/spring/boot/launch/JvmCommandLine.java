package io.rapace.spring.boot.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * This JVM's command line after the {@code java} binary, from {@code /proc/self/cmdline} (read directly: the JDK's
 * {@code ProcessHandle.Info} would also look the user up).
 */
final class JvmCommandLine {

    private JvmCommandLine() {
    }

    /** The words after the {@code java} binary; empty if they cannot be read (no {@code /proc}: not Linux). */
    static List<String> arguments() {
        try {
            String commandLine = new String(Files.readAllBytes(Path.of("/proc/self/cmdline")), StandardCharsets.UTF_8);
            List<String> words = Arrays.asList(commandLine.split("\0"));
            return words.isEmpty() ? words : words.subList(1, words.size());
        }
        catch (IOException | RuntimeException ex) {
            return List.of();
        }
    }

    /**
     * The file named after {@code -jar} among the JVM options that open {@code arguments} (as {@link #arguments()}
     * gives them), or null when the JVM was not started with {@code -jar}.
     */
    static @Nullable String jar(List<String> arguments) {
        for (int i = 0; i < arguments.size() && arguments.get(i).startsWith("-"); i++) {
            if (arguments.get(i).equals("-jar")) {
                return i + 1 < arguments.size() ? arguments.get(i + 1) : null;
            }
        }
        return null;
    }
}
