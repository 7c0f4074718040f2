package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transport links native calls (the FFM linker's {@code DowncallLinker}, tens of ms of CPU in a cold JVM) only
 * when it runs the wake extension with its peer: a plugin facing a v1.0 host, which never advertises it, starts
 * without them. Each case in a fresh JVM, whose class-loading log tells whether the linker was loaded.
 */
class NativeLinkTest {

    private static final String LINKER = "jdk.internal.foreign.abi.DowncallLinker ";

    @TempDir
    Path dir;

    @Test
    void aPluginFacingAHostWithoutTheExtensionLinksNoNativeCall() throws Exception {
        assertThat(classLoadLog(false)).doesNotContain(LINKER);
    }

    @Test
    void aPluginFacingAHostWithTheExtensionLinksTheFutexCalls() throws Exception {
        WakeFixture.requireFutex();
        assertThat(classLoadLog(true)).contains(LINKER);
    }

    private String classLoadLog(boolean hostWakeExtension) throws Exception {
        Path classes = dir.resolve("classes-" + hostWakeExtension + ".log");
        Path output = dir.resolve("probe-" + hostWakeExtension + ".log");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process probe = new ProcessBuilder(List.of(java, "-Xmx64m", "--enable-native-access=ALL-UNNAMED",
                "-Xlog:class+load=info:file=" + classes, "-cp", System.getProperty("java.class.path"),
                NativeLinkProbe.class.getName(), dir.toString(), Boolean.toString(hostWakeExtension)))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            assertThat(probe.waitFor(90, TimeUnit.SECONDS)).as("the probe ended").isTrue();
            assertThat(Files.readString(output)).contains("PROBE OK").doesNotContain("PROBE FAILED");
            assertThat(probe.exitValue()).isZero();
            return Files.readString(classes);
        }
        finally {
            probe.destroyForcibly();
        }
    }
}
