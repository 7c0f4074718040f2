package io.rapace.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Locates the project's {@code shared/} directory (the wire contract and its golden vectors) and
 * reads the vector files from it, so that no test ever retypes a golden byte.
 *
 * <p>The directory is taken from the {@code rapace.shared.dir} system property, which the parent
 * POM sets to {@code ${maven.multiModuleProjectDirectory}/../shared}; without it, the directory
 * {@code ../shared} beside the nearest ancestor that holds {@code mvnw} is used.
 */
public final class SharedVectors {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SharedVectors() {
    }

    /** The {@code shared/} directory, checked to exist. */
    public static Path sharedDir() {
        String configured = System.getProperty("rapace.shared.dir");
        Path dir = configured != null ? Path.of(configured) : fromRepositoryRoot();
        if (!Files.isDirectory(dir.resolve("vectors"))) {
            throw new IllegalStateException("shared directory with vectors/ not found at " + dir.toAbsolutePath()
                    + " (set -Drapace.shared.dir=PATH)");
        }
        return dir.normalize();
    }

    /** Parses {@code shared/vectors/NAME}, e.g. {@code vector("layout.json")}. */
    public static JsonNode vector(String fileName) {
        Path file = sharedDir().resolve("vectors").resolve(fileName);
        try {
            return MAPPER.readTree(file.toFile());
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read vector file " + file, ex);
        }
    }

    /** Decodes a lower- or upper-case hex string; the empty string gives an empty array. */
    public static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    /** Encodes bytes as lower-case hex, for comparing with a vector's {@code hex} field. */
    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** Reads a JSON number or decimal string (the vectors write u64 values as strings) as a long. */
    public static long u64(JsonNode node) {
        return node.isTextual() ? Long.parseUnsignedLong(node.asText()) : node.asLong();
    }

    private static Path fromRepositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("repository root (a directory holding mvnw) not found above "
                    + Path.of("").toAbsolutePath());
        }
        return dir.resolve("../shared");
    }
}
