package io.rapace.demo;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** Finding the programs the interop tests run: a command on the PATH, and the java running this JVM. */
final class Executables {

    private Executables() {
    }

    /** The first executable named {@code name} on the PATH, if any. */
    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator))
            .filter((entry) -> !entry.isEmpty())
            .map((entry) -> Path.of(entry, name))
            .filter(Files::isExecutable)
            .findFirst();
    }

    /** The java binary that runs this JVM. */
    static String javaBinary() {
        return ProcessHandle.current().info().command().orElseThrow(
                () -> new IllegalStateException("cannot tell which java binary runs this JVM"));
    }
}
