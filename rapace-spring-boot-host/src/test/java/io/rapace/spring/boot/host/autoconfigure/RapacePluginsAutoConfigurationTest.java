package io.rapace.spring.boot.host.autoconfigure;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rapace.spring.boot.host.CallsDuringRestart;
import io.rapace.spring.boot.host.PluginDefinition;
import io.rapace.spring.boot.host.RapacePlugins;
import io.rapace.spring.boot.host.RestartPolicy;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** Properties, defaults and the condition, without launching anything (lifecycle beans are not started here). */
class RapacePluginsAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(RapacePluginsAutoConfiguration.class))
        .withPropertyValues("spring.main.lazy-initialization=false");

    @Test
    void nothingWithoutDeclaredPlugins() {
        this.runner.run((context) -> assertThat(context).doesNotHaveBean(RapacePlugins.class));
    }

    @Test
    void aPluginTakesTheDefaultsAndItsOwnValues() {
        this.runner.withPropertyValues("rapace.plugin-defaults.backoff.initial=1s", "rapace.plugin-defaults.max-restarts=9",
                "rapace.plugin-defaults.environment.A=a",
                "rapace.plugins.calc.command=java -jar calc.jar", "rapace.plugins.calc.max-restarts=2",
                "rapace.plugins.calc.environment.B=b", "rapace.plugins.calc.restart=always",
                "rapace.plugins.calc.calls-during-restart=fail-fast", "rapace.plugins.calc.shm.slot-size=4KB",
                "rapace.plugins.other.command=./other,--flag")
            .run((context) -> {
                RapacePlugins plugins = context.getBean(RapacePlugins.class);
                assertThat(plugins.names()).containsExactly("calc", "other");
                PluginDefinition calc = plugins.supervisor("calc").definition();
                assertThat(calc.command()).containsExactly("java", "-jar", "calc.jar");
                assertThat(calc.backoff().initial()).isEqualTo(Duration.ofSeconds(1));
                assertThat(calc.maxRestarts()).isEqualTo(2);
                assertThat(calc.environment()).isEqualTo(Map.of("A", "a", "B", "b"));
                assertThat(calc.restart()).isEqualTo(RestartPolicy.ALWAYS);
                assertThat(calc.callsDuringRestart()).isEqualTo(CallsDuringRestart.FAIL_FAST);
                assertThat(calc.geometry().slotSize()).isEqualTo(4096);
                PluginDefinition other = plugins.supervisor("other").definition();
                assertThat(other.command()).isEqualTo(List.of("./other", "--flag"));
                assertThat(other.maxRestarts()).isEqualTo(9);
                assertThat(other.restart()).isEqualTo(RestartPolicy.ON_FAILURE);
            });
    }

    @Test
    void aMissingCommandFailsTheStartNamingTheProperty() {
        this.runner.withPropertyValues("rapace.plugins.calc.restart=never").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .hasMessageContaining("rapace.plugins.calc.command is missing");
        });
    }

    @Test
    void everyPluginPropertyIsDescribedWithItsDefault() throws Exception {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            metadata = new ObjectMapper().readTree(in);
        }
        Map<String, JsonNode> byName = new java.util.HashMap<>();
        metadata.get("properties").forEach((property) -> byName.put(property.get("name").asText(), property));
        List<String> expected = List.of("command", "path-argument-prefix", "clients", "restart", "backoff.initial",
                "backoff.max", "backoff.jitter", "max-restarts", "restart-window", "start-timeout", "stop-timeout",
                "environment", "working-directory", "shm.ring-capacity", "shm.slot-size", "shm.slot-count",
                "call-timeout", "calls-during-restart", "liveness-timeout");
        for (String name : expected) {
            JsonNode property = byName.get("rapace.plugin-defaults." + name);
            assertThat(property).as(name).isNotNull();
            assertThat(property.path("description").asText()).as(name + " description").isNotBlank();
        }
        for (String name : List.of("restart", "backoff.initial", "backoff.max", "backoff.jitter", "max-restarts",
                "restart-window", "start-timeout", "stop-timeout", "shm.ring-capacity", "shm.slot-size",
                "shm.slot-count", "call-timeout", "calls-during-restart", "liveness-timeout")) {
            assertThat(byName.get("rapace.plugin-defaults." + name).has("defaultValue")).as(name + " default").isTrue();
        }
        assertThat(byName).containsKey("rapace.plugins");
    }
}
