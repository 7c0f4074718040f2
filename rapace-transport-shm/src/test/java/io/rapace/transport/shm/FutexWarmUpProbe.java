package io.rapace.transport.shm;

import static io.rapace.transport.shm.Probe.check;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.rapace.transport.shm.layout.DescriptorLayout;

/**
 * The child process of {@link FutexWarmUpTest}, a fresh JVM (the warm-up runs once per JVM): a transport pair on a
 * segment in the given directory; prints {@code PROBE OK} when the warm-up starts at the first sleep after frames came,
 * not at an earlier one, and its thread ends, and when the code around a sleep (the stores of {@code consumer_waiting})
 * was warmed up at that same sleep ({@link ConsumerSleep}), after which a sleeper is still woken by a send; else
 * {@code PROBE FAILED} and why.
 */
public final class FutexWarmUpProbe {

    private static final long TURN = TimeUnit.MILLISECONDS.toNanos(300);

    private FutexWarmUpProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path segment = Files.createTempFile(Path.of(args[0]), "warm-up", ".shm");
        Files.delete(segment);
        try (ShmTransport host = ShmTransport.create(segment, WakeFixture.CONFIG, ShmOptions.defaults());
                ShmTransport plugin = ShmTransport.open(segment, ShmOptions.defaults())) {
            check(!FutexWarmUp.started(), "started before any sleep");
            check(plugin.receive(frame -> { }, 8, TURN) == 0 && plugin.futexSleeps() > 0, "no sleep without frames");
            check(!FutexWarmUp.started(), "started by a sleep before any frame (start-up)");
            check(!ConsumerSleep.warmedUp(), "the code around a sleep warmed up during start-up");
            host.send(1, 7, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[] {1}, 0, 1, WakeFixture.TIMEOUT);
            check(plugin.receive(frame -> { }, 8, WakeFixture.TIMEOUT) == 1, "the frame was not received");
            long sleeps = plugin.futexSleeps();
            check(plugin.receive(frame -> { }, 8, TURN) == 0 && plugin.futexSleeps() > sleeps, "no sleep after the frame");
            check(FutexWarmUp.started(), "not started by the first sleep after a frame");
            check(ConsumerSleep.warmedUp(), "the code around a sleep not warmed up by the first sleep after a frame");
            // The warm-up stored consumer_waiting's own value: the sleep and its wake-up work as before.
            long wakes = host.futexWakes();
            int nextSleep = (int) plugin.futexSleeps() + 1;
            CompletableFuture<Long> sent = WakeFixture.inBackground(() -> {
                WakeFixture.awaitPluginAsleep(host, plugin, nextSleep);
                return host.send(1, 8, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[] {2}, 0, 1, WakeFixture.TIMEOUT);
            });
            check(plugin.receive(frame -> { }, 8, WakeFixture.TIMEOUT) == 1, "the frame sent to the sleeper was not received");
            sent.get(60, TimeUnit.SECONDS);
            check(host.futexWakes() > wakes, "the sender did not wake the sleeping receiver");
            Thread warmUp = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> thread.getName().equals("rapace-futex-warm-up")).findFirst().orElse(null);
            if (warmUp != null) {
                check(warmUp.isDaemon(), "the warm-up thread is not a daemon");
                check(warmUp.join(java.time.Duration.ofSeconds(60)), "the warm-up thread did not end within 60 s");
            }
        }
        finally {
            Files.deleteIfExists(segment);  // the transport leaves the file to its owner
        }
        Probe.passed();
    }
}
