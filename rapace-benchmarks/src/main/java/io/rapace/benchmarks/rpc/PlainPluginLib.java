package io.rapace.benchmarks.rpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Where the build lays out the plain-Java plugin as a user's would be ({@code target/plain-plugin-lib}): its own jar,
 * {@code *-calculator-plugin.jar} ({@link CalculatorPluginMain}, whose manifest names the jars beside it), and the
 * jars it needs.
 */
public final class PlainPluginLib {

    /** The directory's name under the module's {@code target}. */
    public static final String DIRECTORY = "plain-plugin-lib";

    private static final String JAR_SUFFIX = "-calculator-plugin.jar";

    private PlainPluginLib() {
    }

    /**
     * The plugin's own jar in {@code lib}, the one that {@code java -jar} starts.
     *
     * @throws IllegalStateException when {@code lib} holds none (not built)
     */
    public static Path pluginJar(Path lib) {
        try (Stream<Path> jars = Files.list(lib)) {
            return jars.filter(jar -> jar.getFileName().toString().endsWith(JAR_SUFFIX)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no *" + JAR_SUFFIX + " in " + lib + " (build first)"));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot list " + lib + " (build first)", ex);
        }
    }
}
