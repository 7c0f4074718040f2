package io.rapace.sample;

import java.nio.file.Files;

import io.rapace.test.RapaceClient;
import io.rapace.test.RapacePluginExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The plugin as a process of its own: its main class in a child JVM, as a host launches it. */
class SamplePluginProcessTests {

    @RegisterExtension
    static RapacePluginExtension plugin = RapacePluginExtension.mainClass(SamplePluginApplication.class);

    @RapaceClient
    private Calculator calculator;

    @Test
    void addsInAnotherProcess() {
        assertThat(this.calculator.add(40, 2)).isEqualTo(42);
        assertThat(plugin.process().orElseThrow().pid()).isNotEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void hashesInAnotherProcess(Hasher hasher) {
        assertThat(hasher.sha256(new byte[] { 1, 2, 3 })).hasSize(32);
    }

    @Test
    void thePluginsLogIsCaptured() throws Exception {
        this.calculator.add(1, 1);
        assertThat(Files.readString(plugin.logFile().orElseThrow())).contains("SamplePluginApplication");
    }
}
