package io.rapace.spring.boot.launch;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** {@link LauncherTemplate}: the template from the jar, filled for a Boot jar, and what it turns down. */
class LauncherTemplateTests {

    private static final String JAVA_HOME = "/opt/jdk-25";

    @TempDir
    Path directory;

    @Test
    void theBundledTemplateFilledForABootJarLeavesNoPlaceholderAndPointsAtTheLayout() throws Exception {
        String script = LauncherTemplate.fill(LauncherTemplate.read(),
                LauncherTemplate.bootJarValues("my-plugin", JAVA_HOME, "java -Djarmode=rapace-fast-launch -jar x"));

        assertThat(script).startsWith("#!/bin/sh\n")
            .doesNotContainPattern("@[A-Za-z][A-Za-z.-]*@")
            .contains("set -- -jar \"$here/fast-launch/my-plugin.jar\" \"$@\"")
            .contains("cache=$here/fast-launch/my-plugin.aot")
            .contains("for jar in \"$here\"/fast-launch/*.jar \"$here\"/fast-launch/lib/*.jar; do")
            .contains("[ -x '/opt/jdk-25/bin/java' ]")
            .contains("# Made by java -Djarmode=rapace-fast-launch -jar x from ");
        // The shell reads it: no quote or placeholder left broken.
        Path file = this.directory.resolve("my-plugin");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        Process check = new ProcessBuilder("sh", "-n", file.toString()).redirectErrorStream(true).start();
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
            .isZero();
    }

    @Test
    void aPlaceholderWithoutValueIsNamed() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> LauncherTemplate.fill("a @known@ and an @unknown.key@", Map.of("known", "1")))
            .withMessageContaining("@unknown.key@");
    }

    @Test
    void valuesAreTakenLiterallyEvenWithDollarsAndBackslashes() {
        assertThat(LauncherTemplate.fill("x=@v@;", Map.of("v", "\"$here\"\\1"))).isEqualTo("x=\"$here\"\\1;");
    }

    @Test
    void aJarNameTheScriptWouldHaveToQuoteIsTurnedDown() {
        for (String name : List.of("my plugin", "a\"b", "x$y", "back`tick", "semi;colon", "")) {
            assertThatIllegalArgumentException().as(name)
                .isThrownBy(() -> LauncherTemplate.bootJarValues(name, JAVA_HOME, "test"))
                .withMessageContaining("rename the jar");
        }
        assertThat(LauncherTemplate.bootJarValues("plugin-1.0_final+b2", JAVA_HOME, "test"))
            .containsEntry("fast-launch.cache", "fast-launch/plugin-1.0_final+b2.aot");
    }

    @Test
    void aJdkPathWithAQuoteIsTurnedDown() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> LauncherTemplate.bootJarValues("plugin", "/opt/it's/jdk", "test"))
            .withMessageContaining("/opt/it's/jdk");
    }

    @Test
    void theJarIsTheFileAfterDashJarAmongTheJvmOptions() {
        assertThat(JvmCommandLine.jar(List.of("-Djarmode=rapace-fast-launch", "-jar", "target/p.jar", "--x")))
            .isEqualTo("target/p.jar");
        assertThat(JvmCommandLine.jar(List.of("-cp", "a.jar", "Main", "-jar", "b.jar"))).isNull();
        assertThat(JvmCommandLine.jar(List.of("-Dx=1", "-jar"))).isNull();
        assertThat(JvmCommandLine.jar(List.of())).isNull();
        // This JVM's own command line is read (its options at least).
        assertThat(JvmCommandLine.arguments()).isNotEmpty();
    }
}
