package io.rapace.test;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** A plugin main class in a child JVM, one for the class: clients by parameter, field and method. */
class MainClassModeTest {

    @RegisterExtension
    static RapacePluginExtension plugin = RapacePluginExtension.mainClass(GreeterPluginMain.class);

    @RapaceClient
    Greeter greeter;

    @Test
    void injectsAClientParameter(Greeter injected) {
        assertThat(injected.greet("ann")).isEqualTo("hello ann");
    }

    @Test
    void injectsAClientField() {
        assertThat(this.greeter.greet("bob")).isEqualTo("hello bob");
    }

    @Test
    void theTestJvmIsTheHostAndThePluginIsAChildProcess() throws Exception {
        Process process = plugin.process().orElseThrow();
        assertThat(plugin.client(Greeter.class).pid()).isEqualTo(process.pid()).isNotEqualTo(ProcessHandle.current()
                .pid());
        // The command line as the kernel has it (ProcessHandle.Info truncates long class paths).
        String commandLine = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
        assertThat(commandLine.split("\0")).contains("--enable-native-access=ALL-UNNAMED",
                GreeterPluginMain.class.getName(), plugin.segmentPath().toString());
        assertThat(plugin.segmentPath()).exists();
    }

    @Test
    void capturesThePluginsOutputInALogFile() throws Exception {
        assertThat(Files.readString(plugin.logFile().orElseThrow())).contains(GreeterPluginMain.STARTED);
    }

    @Nested
    class NestedTests {

        @Test
        void shareTheOuterClassesPlugin(Greeter injected) {
            assertThat(injected.pid()).isEqualTo(plugin.process().orElseThrow().pid());
        }
    }
}
