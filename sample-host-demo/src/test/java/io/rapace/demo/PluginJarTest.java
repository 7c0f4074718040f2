package io.rapace.demo;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class PluginJarTest {

    @TempDir
    Path repository;

    @Test
    void findsThePluginJarOfTheRepositoryTheDemoJarLiesIn() throws Exception {
        Path demoJar = Files.createDirectories(this.repository.resolve("sample-host-demo/target"))
            .resolve("sample-host-demo.jar");
        Path pluginJar = this.repository.resolve(PluginJar.RELATIVE_PATH);
        Files.createDirectories(pluginJar.getParent());
        Files.createFile(pluginJar);
        assertThat(PluginJar.locate(new String[0], demoJar, this.repository.resolve("somewhere"))).isEqualTo(pluginJar.toAbsolutePath().normalize());
    }

    @Test
    void missingJarNamesWhereItLookedAndHowToBuildIt() throws Exception {
        Path demoJar = Files.createDirectories(this.repository.resolve("sample-host-demo/target"))
            .resolve("sample-host-demo.jar");
        Files.createDirectories(this.repository.resolve("sample-plugin-app"));
        assertThatIllegalStateException().isThrownBy(() -> PluginJar.locate(new String[0], demoJar, this.repository.resolve("somewhere")))
            .withMessageContaining("the sample plugin jar is missing")
            .withMessageContaining(this.repository.resolve(PluginJar.RELATIVE_PATH).toString())
            .withMessageContaining("./mvnw -B -ntp -q -DskipTests package");
    }

    @Test
    void anArgumentIsTheOnlyCandidate() {
        Path given = this.repository.resolve("elsewhere/plugin.jar");
        assertThatIllegalStateException()
            .isThrownBy(() -> PluginJar.locate(new String[] { given.toString() }, null, this.repository))
            .withMessageContaining(given.toString());
    }
}
