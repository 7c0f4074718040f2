package io.rapace.core.operations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rapace.core.codec.Codecs;
import io.rapace.core.codec.TypeRef;
import io.rapace.core.service.MethodIds;
import io.rapace.core.service.ServiceDefinition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/operations.md} is what another implementation builds {@code RapaceOperations} from: its method ids
 * and example bytes must be what this codec and these records produce.
 */
class OperationsWireFormTest {

    private static final Path DOC = repositoryRoot().resolve("docs/operations.md");

    @Test
    void theDocumentedMethodIdsAreTheServicesIds() throws IOException {
        String doc = Files.readString(DOC);
        for (String method : List.of("health", "metrics")) {
            int id = MethodIds.methodId("RapaceOperations", method);
            assertThat(doc).contains("| `RapaceOperations." + method + "` | " + Integer.toUnsignedString(id) + " (`0x"
                    + String.format("%08X", id) + "`)");
        }
        assertThat(ServiceDefinition.of(RapaceOperations.class, new SessionOperations(() -> null)).serviceName())
                .isEqualTo("RapaceOperations");
    }

    @Test
    void theDocumentedExamplesAreTheCodecsBytes() throws IOException {
        String doc = Files.readString(DOC);
        assertThat(hex(Codecs.encode(Codecs.of(String.class), "rapace."))).isEqualTo(example(doc, "`metrics` request"));
        PluginHealth health = new PluginHealth("UP",
                List.of(new HealthComponent("rapace", "UP", Map.of("state", "OPEN"))));
        assertThat(hex(Codecs.encode(Codecs.of(PluginHealth.class), health)))
                .isEqualTo(example(doc, "`health` response"));
        List<MeterReading> readings = List.of(
                new MeterReading("rapace.frames", Map.of("direction", "send"), "COUNT", 42.0));
        assertThat(hex(Codecs.encode(Codecs.of(new TypeRef<List<MeterReading>>() { }), readings)))
                .isEqualTo(example(doc, "`metrics` response"));
        assertThat(Codecs.decode(Codecs.of(PluginHealth.class), HexFormat.of().parseHex(example(doc,
                "`health` response")))).isEqualTo(health);
    }

    /** The first back-quoted hex string after {@code label} in the document. */
    private static String example(String doc, String label) {
        int at = doc.indexOf("- " + label);
        assertThat(at).as("example '%s' in %s", label, DOC).isNotNegative();
        Matcher hex = Pattern.compile("`([0-9a-f]{8,})`").matcher(doc);
        assertThat(hex.find(at)).as("hex after '%s'", label).isTrue();
        return hex.group(1);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("repository root above %s", Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }
}
