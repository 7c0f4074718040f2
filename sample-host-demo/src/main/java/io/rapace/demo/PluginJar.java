package io.rapace.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Finds the sample plugin jar: the path given on the command line, else
 * {@code sample-plugin-app/target/sample-plugin-app.jar} next to the demo's own module (so the demo runs from
 * any directory), else the same path from the working directory or its parent.
 */
final class PluginJar {

    /** The plugin jar, relative to the repository root. */
    static final Path RELATIVE_PATH = Path.of("sample-plugin-app", "target", "sample-plugin-app.jar");

    private PluginJar() {
    }

    /**
     * The plugin jar to launch.
     *
     * @param args the demo's arguments: the first, when present, is the plugin jar
     * @param demoJar where the demo's own classes were loaded from ({@code .../sample-host-demo/target/...}),
     *     or null when unknown
     * @param workingDirectory the directory the demo runs in
     * @throws IllegalStateException when no candidate is a file, naming every place looked at and how to build
     *     the jar
     */
    static Path locate(String[] args, @Nullable Path demoJar, Path workingDirectory) {
        List<Path> candidates = candidates(args, demoJar, workingDirectory);
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        StringBuilder message = new StringBuilder("the sample plugin jar is missing; looked at:");
        candidates.forEach((candidate) -> message.append(System.lineSeparator()).append("  ").append(candidate));
        message.append(System.lineSeparator())
            .append("Build it from the repository root with: ./mvnw -B -ntp -q -DskipTests package")
            .append(System.lineSeparator())
            .append("or pass its path: java -jar sample-host-demo/target/sample-host-demo.jar PATH/TO/sample-plugin-app.jar");
        throw new IllegalStateException(message.toString());
    }

    private static List<Path> candidates(String[] args, @Nullable Path demoJar, Path workingDirectory) {
        if (args.length > 0) {
            return List.of(workingDirectory.resolve(args[0]).toAbsolutePath().normalize());
        }
        List<Path> candidates = new ArrayList<>();
        if (demoJar != null) {
            // The demo runs from .../sample-host-demo/target/: the repository root is the nearest ancestor that
            // holds the plugin's module.
            for (Path directory = demoJar.toAbsolutePath().getParent(); directory != null;
                    directory = directory.getParent()) {
                if (Files.isDirectory(directory.resolve("sample-plugin-app"))) {
                    candidates.add(directory.resolve(RELATIVE_PATH).normalize());
                    break;
                }
            }
        }
        Path here = workingDirectory.resolve(RELATIVE_PATH).toAbsolutePath().normalize();
        Path parent = workingDirectory.resolve("..").resolve(RELATIVE_PATH).toAbsolutePath().normalize();
        for (Path candidate : List.of(here, parent)) {
            if (!candidates.contains(candidate)) {
                candidates.add(candidate);
            }
        }
        return candidates;
    }
}
