package io.rapace.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jspecify.annotations.Nullable;

/**
 * Locates the wire contract and its golden vectors and reads the vector files, so that no test ever
 * retypes a golden byte.
 *
 * <p>The authority is the {@code shared/} directory beside the repository: the {@code rapace.shared.dir}
 * system property, which the parent POM sets to {@code ${maven.multiModuleProjectDirectory}/../shared}
 * (without it, {@code ../shared} beside the nearest ancestor that holds {@code mvnw}). When that directory
 * is absent (a clone with only the repository), the repository's byte-for-byte copy in {@code contract/}
 * is read instead ({@code rapace.contract.dir}, or {@code contract/} under that ancestor); a test checks
 * that the copy is identical whenever {@code shared/} is present.
 */
public final class SharedVectors {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SharedVectors() {
    }

    /**
     * The directory holding {@code spec/} and {@code vectors/}: {@code shared/} beside the repository when it
     * exists, otherwise the repository's copy {@code contract/}.
     */
    public static Path sharedDir() {
        Path shared = authorityDir();
        if (shared != null) {
            return shared;
        }
        Path copy = repositoryCopyDir();
        if (!Files.isDirectory(copy.resolve("vectors"))) {
            throw new IllegalStateException("neither ../shared nor the repository's copy has a vectors/ directory "
                    + "(looked at " + copy.toAbsolutePath() + "; set -Drapace.shared.dir=PATH)");
        }
        return copy;
    }

    /** {@code shared/} beside the repository, or null when it is absent. */
    public static @Nullable Path authorityDir() {
        String configured = System.getProperty("rapace.shared.dir");
        Path dir = (configured != null ? Path.of(configured) : repositoryRoot().resolve("../shared")).normalize();
        return Files.isDirectory(dir.resolve("vectors")) ? dir : null;
    }

    /** The repository's copy of the contract, {@code contract/} (it may be missing in a broken checkout). */
    public static Path repositoryCopyDir() {
        String configured = System.getProperty("rapace.contract.dir");
        return (configured != null ? Path.of(configured) : repositoryRoot().resolve("contract")).normalize();
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

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("repository root (a directory holding mvnw) not found above "
                    + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
