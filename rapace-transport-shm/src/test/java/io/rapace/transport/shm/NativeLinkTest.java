package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
        Probe.run(dir.resolve("probe-" + hostWakeExtension + ".log"),
                List.of("-Xlog:class+load=info:file=" + classes), NativeLinkProbe.class, dir.toString(),
                Boolean.toString(hostWakeExtension));
        return Files.readString(classes);
    }
}
