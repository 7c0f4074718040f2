package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The futex binding on real shared file mappings: mismatch, timeout, a wake from another thread and a
 * wake from another process, the add-and-wake of the wake extension's producer (with {@code FUTEX_WAKE_OP} and with
 * its fallback). No assertion depends on timing: a waiter that was not woken would time out
 * after a minute and the test would see {@code TIMED_OUT}.
 */
class FutexTest {

    private static final long LONG_WAIT = TimeUnit.SECONDS.toNanos(60);

    @TempDir
    Path dir;

    @BeforeEach
    void futexIsAvailableInTheBuild() {
        // Surefire runs with --enable-native-access=ALL-UNNAMED on Linux x86-64/aarch64.
        assumeThat(System.getProperty("os.name")).startsWith("Linux");
        assertThat(Futex.isAvailable()).as(Futex.unavailableReason()).isTrue();
    }

    @Test
    void sysFutexNumbers() {
        assertThat(Futex.sysFutex("Linux", "amd64")).isEqualTo(202);
        assertThat(Futex.sysFutex("Linux", "aarch64")).isEqualTo(98);
        assertThat(Futex.sysFutex("Linux", "riscv64")).isEqualTo(-1);
        assertThat(Futex.sysFutex("Mac OS X", "aarch64")).isEqualTo(-1);
    }

    @Test
    void waitWithAMismatchingValueReturnsAtOnce() throws IOException {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment shared = map(arena, dir.resolve("mismatch.shm"));
            Mem.putInt(shared, 8, 7);
            assertThat(new Futex().await(shared, 8, 6, LONG_WAIT)).isEqualTo(Futex.MISMATCH);
        }
    }

    @Test
    void waitTimesOut() throws IOException {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment shared = map(arena, dir.resolve("timeout.shm"));
            assertThat(new Futex().await(shared, 8, 0, TimeUnit.MILLISECONDS.toNanos(5))).isEqualTo(Futex.TIMED_OUT);
        }
    }

    @Test
    void aWordOfAMappingIsOfTheClassesOfTheWarmUpsPracticeWord() throws IOException {
        // The JIT compiles the downcalls for the segment classes the warm-up showed it; a real word of other classes
        // failed that check at its first call and sent the call path back to the interpreter for good.
        assumeThat(Futex.isAvailable()).isTrue();
        try (Arena mapping = Arena.ofShared(); Arena practice = Arena.ofShared()) {
            MemorySegment shared = map(mapping, dir.resolve("classes.shm"));
            MemorySegment practiceWord = FutexWarmUp.practiceWord(practice);
            for (MemorySegment word : List.of(Futex.word(shared, 8), RingRegion.of(shared, 64, 128, 4, true).wakeSeqWord())) {
                assertThat(word.getClass()).isEqualTo(practiceWord.getClass());
                assertThat(word.scope().getClass()).isEqualTo(practiceWord.scope().getClass());
            }
        }
    }

    @Test
    void aWordEndsWithItsMapping() throws IOException {
        MemorySegment word;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment shared = map(arena, dir.resolve("ends.shm"));
            word = Futex.word(shared, 8);
            Mem.putInt(shared, 8, 7);
            assertThat(Mem.getIntAcquire(word, 0)).as("the same bytes").isEqualTo(7);
            assertThat(word.scope().isAlive()).isTrue();
        }
        assertThat(word.scope().isAlive()).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Futex().await(word, 7, LONG_WAIT))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void outcomeOfAWaitByResultAndErrno() {
        assertThat(Futex.outcome(0, 0)).isEqualTo(Futex.WOKEN);
        assertThat(Futex.outcome(0, 11)).as("a stale errno after a success").isEqualTo(Futex.WOKEN);
        assertThat(Futex.outcome(-1, 11)).isEqualTo(Futex.MISMATCH);
        assertThat(Futex.outcome(-1, 110)).isEqualTo(Futex.TIMED_OUT);
        assertThat(Futex.outcome(-1, 4)).isEqualTo(Futex.INTERRUPTED);
        assertThat(Futex.outcome(-1, 14)).as("EFAULT").isEqualTo(Futex.FAILED);
        assertThat(Futex.outcome(-1, 22)).as("EINVAL").isEqualTo(Futex.FAILED);
        assertThat(Futex.outcome(-1, 38)).as("ENOSYS").isEqualTo(Futex.FAILED);
        assertThat(Futex.outcome(-1, 111)).isEqualTo(Futex.FAILED);
        assertThat(Futex.outcome(-1, 4095)).isEqualTo(Futex.FAILED);
    }

    @Test
    void unalignedWordIsRefused() throws IOException {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment shared = map(arena, dir.resolve("unaligned.shm"));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Futex.word(shared, 2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4-byte aligned");
        }
    }

    @Test
    void wakeFromAnotherThreadWakesTheWaiter() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment shared = map(arena, dir.resolve("thread.shm"));
            MemorySegment word = Futex.word(shared, 72);
            AtomicInteger result = new AtomicInteger(-1);
            CountDownLatch started = new CountDownLatch(1);
            Thread waiter = Thread.ofPlatform().start(() -> {
                Futex futex = new Futex();
                started.countDown();
                int r;
                do {
                    r = futex.await(word, 0, LONG_WAIT);
                } while (r == Futex.WOKEN && Mem.getIntAcquire(word, 0) == 0);  // spurious wake: sleep again
                result.set(r);
            });
            started.await();
            // Wake until the waiter is gone: a wake that lands before it sleeps is caught by the bump.
            Mem.compareAndSetInt(word, 0, 0, 1);
            while (waiter.isAlive()) {
                Futex.wake(word, 1);
                waiter.join(10);
            }
            assertThat(result.get()).isIn(Futex.WOKEN, Futex.MISMATCH);
        }
    }

    @Test
    void wakeFromAnotherThreadIsCountedAsOneWokenSleeper() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment shared = map(arena, dir.resolve("count.shm"));
            MemorySegment word = Futex.word(shared, 8);
            AtomicInteger result = new AtomicInteger(-1);
            Thread waiter = Thread.ofPlatform().start(() -> result.set(new Futex().await(word, 0, LONG_WAIT)));
            // The word stays 0: the waiter is asleep once a wake reports one woken thread.
            int woken = 0;
            while (woken == 0) {
                woken = Futex.wake(word, 1);
                if (woken == 0) {
                    Thread.sleep(1);
                }
            }
            waiter.join();
            assertThat(woken).isEqualTo(1);
            assertThat(result.get()).isEqualTo(Futex.WOKEN);
        }
    }

    @AfterEach
    void wakeOpAsByDefault() {
        Futex.useWakeOp(true);
    }

    @ParameterizedTest(name = "FUTEX_WAKE_OP: {0}")
    @ValueSource(booleans = {true, false})
    void bumpAndWakeAddsOneToTheWordEvenWithNobodyAsleep(boolean wakeOp) throws IOException {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment shared = mapUsingWakeOp(arena, "bump.shm", wakeOp);
            MemorySegment word = Futex.word(shared, 16);
            Mem.putInt(shared, 16, -2);
            for (int i = 1; i <= 5; i++) {
                assertThat(Futex.bumpAndWake(shared, 16, word, 1)).isZero();
                assertThat(Mem.getIntAcquire(shared, 16)).isEqualTo(-2 + i);
            }
            assertThat(Mem.getInt(shared, 12)).as("the word before it").isZero();
            assertThat(Mem.getInt(shared, 20)).as("the word after it").isZero();
        }
    }

    @ParameterizedTest(name = "FUTEX_WAKE_OP: {0}")
    @ValueSource(booleans = {true, false})
    void bumpAndWakeWakesASleeperAndOneAboutToSleepDoesNotSleep(boolean wakeOp) throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment shared = mapUsingWakeOp(arena, "bump-wake.shm", wakeOp);
            MemorySegment word = Futex.word(shared, 24);
            // Rounds until one bump found the sleeper asleep (reported as one woken): a sleeper that had not slept yet
            // sees the bumped word and does not sleep (MISMATCH). Either way it returns; a lost wake would hang here.
            int woken = 0;
            for (int round = 0; woken == 0; round++) {
                int expected = Mem.getIntAcquire(shared, 24);
                AtomicInteger result = new AtomicInteger(-1);
                Thread sleeper = Thread.ofPlatform().start(() -> result.set(new Futex().await(word, expected, LONG_WAIT)));
                Thread.sleep(Math.min(round, 20));  // no assertion depends on it: only how soon a round finds it asleep
                woken = Futex.bumpAndWake(shared, 24, word, 1);
                sleeper.join();
                assertThat(Mem.getIntAcquire(shared, 24)).isEqualTo(expected + 1);
                assertThat(result.get()).isEqualTo(woken == 1 ? Futex.WOKEN : Futex.MISMATCH);
            }
            assertThat(woken).isOne();
        }
    }

    @Test
    void wakeFromAnotherProcessWakesAWaiterOnTheSharedMapping() throws Exception {
        Path file = dir.resolve("process.shm");
        Path log = dir.resolve("waker.log");
        try (Arena arena = Arena.ofShared()) {
            MemorySegment shared = map(arena, file);
            MemorySegment word = Futex.word(shared, 8);
            Process waker = startWaker(file, log);
            try {
                // The word stays 0 and the child wakes until it reports a woken sleeper: only a shared
                // (not private) futex on the file's page can be woken from the other process.
                int result = new Futex().await(word, 0, LONG_WAIT);
                assertThat(waker.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(Files.readString(log)).contains("WAKER OK");
                assertThat(result).isEqualTo(Futex.WOKEN);
            }
            finally {
                waker.destroyForcibly();
            }
        }
    }

    /** A fresh mapped file in the test's directory; {@link Futex#bumpAndWake} uses FUTEX_WAKE_OP or its fallback. */
    private MemorySegment mapUsingWakeOp(Arena arena, String file, boolean wakeOp) throws IOException {
        Futex.useWakeOp(wakeOp);
        return map(arena, dir.resolve(file));
    }

    static MemorySegment map(Arena arena, Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            if (channel.size() < 4096) {
                channel.write(java.nio.ByteBuffer.wrap(new byte[1]), 4095);
            }
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, 4096, arena);
        }
    }

    private static Process startWaker(Path file, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx64m", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), FutexWaker.class.getName(), file.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
