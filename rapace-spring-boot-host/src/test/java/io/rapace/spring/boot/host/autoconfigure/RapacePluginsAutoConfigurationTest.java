package io.rapace.spring.boot.host.autoconfigure;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rapace.spring.boot.host.CallsDuringRestart;
import io.rapace.spring.boot.host.PluginDefinition;
import io.rapace.spring.boot.host.PluginLaunch;
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
                assertThat(calc.launch()).isEqualTo(new PluginLaunch.Command(List.of("java", "-jar", "calc.jar")));
                assertThat(calc.backoff().initial()).isEqualTo(Duration.ofSeconds(1));
                assertThat(calc.maxRestarts()).isEqualTo(2);
                assertThat(calc.environment()).isEqualTo(Map.of("A", "a", "B", "b"));
                assertThat(calc.restart()).isEqualTo(RestartPolicy.ALWAYS);
                assertThat(calc.callsDuringRestart()).isEqualTo(CallsDuringRestart.FAIL_FAST);
                assertThat(calc.geometry().slotSize()).isEqualTo(4096);
                PluginDefinition other = plugins.supervisor("other").definition();
                assertThat(other.launch()).isEqualTo(new PluginLaunch.Command(List.of("./other", "--flag")));
                assertThat(other.stallTimeout()).isEqualTo(Duration.ofSeconds(30));
                assertThat(other.ownProcessGroup()).isTrue();
                assertThat(other.maxRestarts()).isEqualTo(9);
                assertThat(other.restart()).isEqualTo(RestartPolicy.ON_FAILURE);
            });
    }

    @Test
    void aPluginWithoutALaunchFormFailsTheStartNamingThePluginAndTheProperties() {
        this.runner.withPropertyValues("rapace.plugins.calc.restart=never").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .hasMessageContaining("plugin 'calc' has no launch form")
                .hasMessageContaining("rapace.plugins.calc.command")
                .hasMessageContaining("rapace.plugins.calc.jar")
                .hasMessageContaining("rapace.plugins.calc.main-class")
                .hasMessageContaining("rapace.plugins.calc.image");
        });
    }

    @Test
    void twoLaunchFormsFailTheStartNamingBoth() {
        this.runner.withPropertyValues("rapace.plugins.calc.command=./calc", "rapace.plugins.calc.jar=calc.jar")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("plugin 'calc' has more than one launch form")
                    .hasMessageContaining("rapace.plugins.calc.command and rapace.plugins.calc.jar");
            });
    }

    @Test
    void aModifierThatTheLaunchFormDoesNotTakeFailsTheStart() {
        this.runner.withPropertyValues("rapace.plugins.calc.command=./calc", "rapace.plugins.calc.jvm-args=-Xmx64m")
            .run((context) -> assertThat(context.getStartupFailure()).rootCause()
                .hasMessageContaining("rapace.plugins.calc.jvm-args is set, but plugin 'calc' is launched by "
                        + "rapace.plugins.calc.command, which does not take it")
                .hasMessageContaining("[jar, main-class]"));
        this.runner.withPropertyValues("rapace.plugins.calc.jar=calc.jar", "rapace.plugins.calc.classpath=lib/a.jar")
            .run((context) -> assertThat(context.getStartupFailure()).rootCause()
                .hasMessageContaining("rapace.plugins.calc.classpath is set")
                .hasMessageContaining("[main-class]"));
        this.runner.withPropertyValues("rapace.plugins.calc.main-class=a.B",
                "rapace.plugins.calc.container.options=--cpus=1")
            .run((context) -> assertThat(context.getStartupFailure()).rootCause()
                .hasMessageContaining("rapace.plugins.calc.container.* is set")
                .hasMessageContaining("[image]"));
    }

    @Test
    void theJarMainClassAndImageFormsTakeTheirModifiersAndDefaultsServeEveryForm() {
        this.runner.withPropertyValues("rapace.plugin-defaults.jvm-args=-Xmx64m -XX:+UseSerialGC",
                "rapace.plugin-defaults.container.options=--cpus=1,--memory=256m",
                "rapace.plugins.byjar.jar=plugins/calc.jar", "rapace.plugins.byjar.arguments=--a=1 --b=2",
                "rapace.plugins.bymain.main-class=com.example.Main", "rapace.plugins.bymain.classpath=a.jar,b.jar",
                "rapace.plugins.bymain.jvm-args[0]=-Dx=y z", "rapace.plugins.bymain.jvm-args[1]=-Da=b",
                "rapace.plugins.byimage.image=rapace/sample-plugin:dev", "rapace.plugins.byimage.arguments=--x",
                "rapace.plugins.bycommand.command=./calc",
                "rapace.plugins.byhostclasspath.main-class=com.example.Main")
            .run((context) -> {
                RapacePlugins plugins = context.getBean(RapacePlugins.class);
                assertThat(plugins.supervisor("byjar").definition().launch()).isEqualTo(new PluginLaunch.Jar(
                        Path.of("plugins/calc.jar"), List.of("-Xmx64m", "-XX:+UseSerialGC"), List.of("--a=1", "--b=2")));
                assertThat(plugins.supervisor("bymain").definition().launch()).isEqualTo(new PluginLaunch.MainClass(
                        "com.example.Main", List.of("a.jar", "b.jar"), List.of("-Dx=y z", "-Da=b"), List.of()));
                assertThat(plugins.supervisor("byimage").definition().launch()).isEqualTo(new PluginLaunch.Image(
                        "rapace/sample-plugin:dev", "docker", "none", List.of("--cpus=1", "--memory=256m"),
                        List.of("--x")));
                assertThat(plugins.supervisor("bycommand").definition().launch())
                    .isEqualTo(new PluginLaunch.Command(List.of("./calc")));
                PluginLaunch.MainClass hostClasspath = (PluginLaunch.MainClass) plugins.supervisor("byhostclasspath")
                    .definition().launch();
                assertThat(hostClasspath.classpath()).isNotEmpty().containsExactlyElementsOf(
                        List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)));
            });
    }

    @Test
    void anEmptyCommandLetsAnotherFormReplaceTheOneOfTheApplicationProperties() {
        this.runner.withPropertyValues("rapace.plugins.calc.command=java -jar calc.jar",
                "rapace.plugins.calc.command=", "rapace.plugins.calc.image=rapace/sample-plugin:dev")
            .run((context) -> assertThat(context.getBean(RapacePlugins.class).supervisor("calc").definition()
                .launch()).isInstanceOf(PluginLaunch.Image.class));
    }

    @Test
    void anEmptyJarLetsAnotherFormReplaceIt() {
        this.runner.withPropertyValues("rapace.plugins.calc.jar=", "rapace.plugins.calc.image=rapace/sample-plugin:dev")
            .run((context) -> assertThat(context.getBean(RapacePlugins.class).supervisor("calc").definition()
                .launch()).isInstanceOf(PluginLaunch.Image.class));
    }

    @Test
    void aStallTimeoutBelowTheLivenessTimeoutFailsTheStart() {
        this.runner.withPropertyValues("rapace.plugins.calc.command=./calc", "rapace.plugins.calc.stall-timeout=2s")
            .run((context) -> assertThat(context.getStartupFailure()).rootCause()
                .hasMessageContaining("rapace.plugins.calc.stall-timeout (PT2S) must not be below "
                        + "rapace.plugins.calc.liveness-timeout (PT3S)"));
    }

    @Test
    void everyPluginPropertyIsDescribedWithItsDefault() throws Exception {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            metadata = new ObjectMapper().readTree(in);
        }
        Map<String, JsonNode> byName = new java.util.HashMap<>();
        metadata.get("properties").forEach((property) -> byName.put(property.get("name").asText(), property));
        List<String> expected = List.of("command", "jar", "main-class", "classpath", "jvm-args", "arguments", "image",
                "container.engine", "container.network", "container.options", "own-process-group",
                "path-argument-prefix", "clients", "restart", "backoff.initial",
                "backoff.max", "backoff.jitter", "max-restarts", "restart-window", "start-timeout", "stop-timeout",
                "environment", "working-directory", "shm.ring-capacity", "shm.slot-size", "shm.slot-count",
                "call-timeout", "calls-during-restart", "liveness-timeout", "stall-timeout");
        for (String name : expected) {
            JsonNode property = byName.get("rapace.plugin-defaults." + name);
            assertThat(property).as(name).isNotNull();
            assertThat(property.path("description").asText()).as(name + " description").isNotBlank();
        }
        for (String name : List.of("restart", "backoff.initial", "backoff.max", "backoff.jitter", "max-restarts",
                "restart-window", "start-timeout", "stop-timeout", "shm.ring-capacity", "shm.slot-size",
                "shm.slot-count", "call-timeout", "calls-during-restart", "liveness-timeout", "stall-timeout",
                "own-process-group", "container.engine", "container.network")) {
            assertThat(byName.get("rapace.plugin-defaults." + name).has("defaultValue")).as(name + " default").isTrue();
        }
        assertThat(byName).containsKey("rapace.plugins");
    }
}
