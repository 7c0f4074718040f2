package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host in this JVM and a plugin in a child JVM exchange at least a million frames of mixed sizes in
 * each direction at the same time; every payload arrives once, intact and in order, and every slot is
 * free at the end, with the wake extension in use on both sides. The count can be lowered with {@code -Drapace.twoProcess.frames=N} while iterating.
 */
class TwoProcessTest {

    private static final long FRAMES = Long.getLong("rapace.twoProcess.frames", 1_000_000);
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(60);
    private static final ShmConfig CONFIG = new ShmConfig(256, 16384, 64);

    @TempDir
    Path dir;

    @Test
    void millionFramesEachWayArriveOnceIntactAndInOrder() throws Exception {
        Path file = dir.resolve("two-process.shm");
        Path log = dir.resolve("peer.log");
        Process peer = null;
        try (ShmTransport host = ShmTransport.create(file, CONFIG, ShmOptions.defaults())) {
            peer = startPeer(file, log);
            Traffic traffic = new Traffic(CONFIG.slotSize());
            AtomicReference<Throwable> sendFailure = new AtomicReference<>();
            Thread sender = Thread.ofPlatform().name("host-sender").start(() -> {
                try {
                    traffic.sendAll(host, 1, FRAMES, TIMEOUT);
                }
                catch (Throwable ex) {
                    sendFailure.set(ex);
                }
            });
            Traffic.Checker checker = traffic.new Checker();
            while (checker.received() < FRAMES) {
                if (host.receive(checker, 256, TimeUnit.SECONDS.toNanos(1)) == 0 && !peer.isAlive()) {
                    throw new AssertionError("peer exited with " + peer.exitValue() + " after the host received "
                            + checker.received() + " frames:\n" + Files.readString(log));
                }
            }
            sender.join(TimeUnit.NANOSECONDS.toMillis(TIMEOUT));
            assertThat(sendFailure.get()).as("host sender failure").isNull();
            assertThat(sender.isAlive()).as("host sender finished").isFalse();
            assertThat(peer.waitFor(60, TimeUnit.SECONDS)).as("peer exits").isTrue();
            assertThat(peer.exitValue()).as("peer exit status; its log:\n%s", Files.readString(log)).isZero();
            assertThat(Files.readString(log)).contains("PEER OK received=" + FRAMES + " sent=" + FRAMES);

            assertThat(checker.received()).isEqualTo(FRAMES);
            // Both JVMs run the wake extension: the million frames went through its sleep/wake paths.
            assertThat(host.wakeExtensionActive()).isTrue();
            assertThat(host.stats().framesSent()).isEqualTo(FRAMES);
            assertThat(host.stats().framesReceived()).isEqualTo(FRAMES);
            assertThat(host.stats().invalidFrames()).isZero();
            assertThat(host.stats().slotsInUse()).as("every slot is free at the end").isZero();
            assertThat(host.stats().sendRingOccupancy()).isZero();
            assertThat(host.stats().receiveRingOccupancy()).isZero();
        }
        finally {
            if (peer != null) {
                peer.descendants().forEach(ProcessHandle::destroyForcibly);
                peer.destroyForcibly();
                peer.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static Process startPeer(Path file, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                TwoProcessPeer.class.getName(), file.toString(), Long.toString(FRAMES)));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
