package io.rapace.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The files that capture plugin output: {@code target/rapace-plugin-logs/<name>-<random>.log} when the working
 * directory has a {@code target} directory (Maven), else under {@code java.io.tmpdir}; the system property
 * {@code rapace.test.log-dir} overrides both. Logs are kept, so that CI can archive them.
 */
final class PluginLogs {

    /** Overrides the directory of plugin logs. */
    static final String DIRECTORY_PROPERTY = "rapace.test.log-dir";

    private PluginLogs() {
    }

    static Path directory() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path target = Path.of("target");
        Path base = Files.isDirectory(target) ? target : Path.of(System.getProperty("java.io.tmpdir"));
        return base.resolve("rapace-plugin-logs");
    }

    /** A new empty log file whose name starts with {@code name} (made file-name safe). */
    static Path newFile(String name) {
        try {
            Path directory = Files.createDirectories(directory());
            return Files.createTempFile(directory, name.replaceAll("[^A-Za-z0-9._-]", "_") + "-", ".log");
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot create a plugin log file in " + directory() + ": " + ex.getMessage(),
                    ex);
        }
    }

    /** The last {@code lines} lines of {@code log}, framed for a failure message; never throws. */
    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
            String header = all.isEmpty() ? "the plugin's log " + log + " is empty"
                    : "last " + last.size() + " of " + all.size() + " lines of the plugin's log " + log + ":";
            return header + (last.isEmpty() ? "" : "\n  | " + String.join("\n  | ", last));
        }
        catch (IOException | UncheckedIOException ex) {
            return "the plugin's log " + log + " cannot be read: " + ex.getMessage();
        }
    }
}
