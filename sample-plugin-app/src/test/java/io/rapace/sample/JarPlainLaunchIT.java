package io.rapace.sample;

import java.io.IOException;

import io.rapace.test.RapaceClient;
import io.rapace.test.RapacePluginExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -Drapace.fast-launch=false -jar target/sample-plugin-app.jar PATH}: a JVM option keeps the launch as it
 * was asked for, the fat jar in the JVM the host started, even with a trained fast launch beside it.
 */
class JarPlainLaunchIT {

    @RegisterExtension
    static RapacePluginExtension plugin = RapacePluginExtension.command(JarFastLaunchIT.JAVA,
            "-Drapace.fast-launch=false", "-jar", JarFastLaunchIT.JAR.toString());

    @RapaceClient
    private Calculator calculator;

    @Test
    void aJvmOptionKeepsThePlainStart() throws IOException {
        assertThat(this.calculator.add(40, 2)).isEqualTo(42);
        long pid = plugin.process().orElseThrow().pid();
        assertThat(JarFastLaunchIT.commandLine(pid)).containsExactly(JarFastLaunchIT.JAVA,
                "-Drapace.fast-launch=false", "-jar", JarFastLaunchIT.JAR.toString(), plugin.segmentPath().toString());
        assertThat(JarFastLaunchIT.openFiles(pid)).contains(JarFastLaunchIT.JAR.toRealPath());
    }
}
