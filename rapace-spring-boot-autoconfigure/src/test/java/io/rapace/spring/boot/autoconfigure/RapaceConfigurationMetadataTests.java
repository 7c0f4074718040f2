package io.rapace.spring.boot.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/** The configuration metadata that IDEs show: generated from the property Javadoc, merged with the additional file. */
class RapaceConfigurationMetadataTests {

    @Test
    void everyPropertyIsDescribedAndEveryDurationAndSwitchHasItsDefault() throws IOException {
        List<Map<String, Object>> properties = properties();
        assertThat(properties).extracting((property) -> property.get("name"))
            .contains("rapace.shm.path", "rapace.shm.ring-capacity", "rapace.shm.slot-size", "rapace.shm.slot-count",
                    "rapace.shm.wait-timeout", "rapace.liveness-timeout", "rapace.peer-gone-after", "rapace.call-timeout",
                    "rapace.shutdown-grace-period", "rapace.exit-on-host-exit", "rapace.service-scan.enabled",
                    "management.health.rapace.enabled");
        for (Map<String, Object> property : properties) {
            String name = (String) property.get("name");
            String description = (String) property.get("description");
            assertThat(description).as("description of %s", name).isNotBlank().endsWith(".");
            String type = (String) property.get("type");
            if ("java.lang.Boolean".equals(type)) {
                assertThat(description).as("description of %s", name).startsWith("Whether ");
                assertThat(property).as(name).containsEntry("defaultValue", true);
            }
            if ("java.time.Duration".equals(type)) {
                assertThat(property).as(name).containsKey("defaultValue");
            }
        }
    }

    private static List<Map<String, Object>> properties() throws IOException {
        try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
            Metadata metadata = new ObjectMapper().readValue(in, Metadata.class);
            return metadata.properties().stream()
                .filter((property) -> String.valueOf(property.get("name")).contains("rapace"))
                .toList();
        }
    }

    /** The part of the metadata file this test reads. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Metadata(List<Map<String, Object>> properties) {
    }
}
