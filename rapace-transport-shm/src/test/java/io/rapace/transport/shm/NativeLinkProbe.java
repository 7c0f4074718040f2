package io.rapace.transport.shm;

import static io.rapace.transport.shm.Probe.check;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.rapace.transport.shm.layout.DescriptorLayout;

/**
 * The child process of {@link NativeLinkTest}, a fresh JVM: a host (with the wake extension as {@code args[1]} says)
 * and a plugin with the default options on a segment in directory {@code args[0]}; one frame each way, then the plugin
 * waits idle for 300 ms. Prints {@code PROBE OK} when all of that worked; the test reads the class-loading log.
 */
public final class NativeLinkProbe {

    private NativeLinkProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path segment = Files.createTempFile(Path.of(args[0]), "link", ".shm");
        Files.delete(segment);
        ShmOptions hostOptions = ShmOptions.defaults().withWakeExtension(Boolean.parseBoolean(args[1]));
        try (ShmTransport host = ShmTransport.create(segment, WakeFixture.CONFIG, hostOptions);
                ShmTransport plugin = ShmTransport.open(segment, ShmOptions.defaults())) {
            host.send(1, 7, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[] {1}, 0, 1, WakeFixture.TIMEOUT);
            check(plugin.receive(frame -> { }, 8, WakeFixture.TIMEOUT) == 1, "the plugin did not receive the frame");
            plugin.send(1, 7, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[] {2}, 0, 1, WakeFixture.TIMEOUT);
            check(host.receive(frame -> { }, 8, WakeFixture.TIMEOUT) == 1, "the host did not receive the answer");
            check(plugin.receive(frame -> { }, 8, TimeUnit.MILLISECONDS.toNanos(300)) == 0, "a frame came from nowhere");
        }
        finally {
            Files.deleteIfExists(segment);  // the transport leaves the file to its owner
        }
        Probe.passed();
    }
}
