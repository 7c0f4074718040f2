package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rapace.transport.shm.layout.DescriptorLayout;
import io.rapace.transport.shm.layout.RingLayout;
import io.rapace.transport.shm.layout.SegmentLayout;
import io.rapace.transport.shm.layout.ShmLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wake extension across two processes: the host here, {@link WakeEchoPeer} in a child JVM, each
 * receiving with the session's 50 ms receive calls. Each round waits until the child's receiver is asleep
 * in the kernel ({@code consumer_waiting} of ring A→B is 1) before sending, so the frame can only be seen
 * through a futex wake (or the 50 ms timeout, which the counters tell apart: the host counts its
 * {@code FUTEX_WAKE} calls, the child its sleeps and wakes). No assertion depends on elapsed time.
 */
class WakeTwoProcessTest {

    private static final ShmConfig CONFIG = new ShmConfig(16, 4096, 16);
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(30);
    private static final int ROUNDS = 20;

    @TempDir
    Path dir;

    @Test
    void aChildAsleepInTheKernelIsWokenByEachFrameAndTheAnswersWakeUs() throws Exception {
        assertThat(Futex.isAvailable()).as(Futex.unavailableReason()).isTrue();
        Path file = dir.resolve("wake-two-process.shm");
        Path log = dir.resolve("echo.log");
        ShmLayout layout = CONFIG.layout();
        Process child = null;
        try (ShmTransport host = ShmTransport.create(file, CONFIG, ShmOptions.defaults())) {
            child = start(file, log);
            long waitingWord = layout.ringAToBHeader() + RingLayout.CONSUMER_WAITING_OFFSET;
            for (int round = 1; round <= ROUNDS; round++) {
                // The child is up (its flag is set) and its receiver is asleep or about to sleep in FUTEX_WAIT.
                Process peer = child;
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1)).until(() -> {
                    if (!peer.isAlive()) {
                        throw new AssertionError("child exited: " + Files.readString(log));
                    }
                    int flags = Mem.getIntAcquire(host.segment(), SegmentLayout.FLAGS_OFFSET);
                    return (flags & SegmentLayout.FLAGS_WAKE_BOTH) == SegmentLayout.FLAGS_WAKE_BOTH
                            && Mem.getIntAcquire(host.segment(), waitingWord) != 0;
                });
                int length = round % 2 == 0 ? 8 : 1000;
                byte[] payload = Payloads.payload(round, length);
                host.send(1, round, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, payload, 0, length, TIMEOUT);
                AtomicInteger method = new AtomicInteger();
                AtomicReference<byte[]> echoed = new AtomicReference<>();
                while (method.get() == 0) {
                    host.receive(frame -> {
                        method.set(frame.methodId());
                        echoed.set(frame.payloadBytes());
                    }, 1, TimeUnit.MILLISECONDS.toNanos(50));
                    if (method.get() == 0 && !child.isAlive()) {
                        throw new AssertionError("child exited: " + Files.readString(log));
                    }
                }
                assertThat(method.get()).isEqualTo(round);
                assertThat(echoed.get()).isEqualTo(payload);
            }
            assertThat(host.wakeExtensionActive()).isTrue();
            // Each frame was published while the child said it was waiting: the host issued wake calls.
            assertThat(host.futexWakes()).isPositive();
            host.send(1, WakeEchoPeer.QUIT, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[0], 0, 0, TIMEOUT);
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = Files.readString(log);
            assertThat(child.exitValue()).as(output).isZero();
            Matcher counters = Pattern.compile("ECHO OK active=true sleeps=(\\d+) wakes=(\\d+)").matcher(output);
            assertThat(counters.find()).as(output).isTrue();
            // Not one sleep per round for sure: a child that has just said it waits re-checks the ring before it
            // sleeps, and finds the frame there when the send was quick enough (the protocol's point). Most rounds sleep.
            assertThat(Long.parseLong(counters.group(1))).as("child futex sleeps").isGreaterThanOrEqualTo(ROUNDS / 2);
            assertThat(host.stats().invalidFrames()).isZero();
            assertThat(host.stats().slotsInUse()).isZero();
        }
        finally {
            if (child != null) {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static Process start(Path file, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return new ProcessBuilder(List.of(java, "-Xmx64m", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), WakeEchoPeer.class.getName(), file.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
