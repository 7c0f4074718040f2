package io.rapace.benchmarks;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.rapace.benchmarks.report.ThreadTimes;
import io.rapace.benchmarks.report.ProcessCpu;
import io.rapace.benchmarks.report.ThreadTimes.ThreadTime;
import io.rapace.benchmarks.rpc.Calculator;
import io.rapace.benchmarks.rpc.CalculatorPluginMain;
import io.rapace.core.runtime.RapaceHost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The wake extension (docs/wake-extension.md) between real processes: the C reference peer's {@code --wake 1}
 * ({@code reference-peer/refpeer.c}), written from that document and the spec alone, is the independent
 * implementation; each test pairs it with the Java one (or with itself, or with a peer that leaves the extension
 * off) and checks what is visible from outside: the flags word of the segment, whether the receivers announce and
 * take their sleeps, the CPU and the wake-ups of the plugin process while the pair is idle, and that the first call
 * after an idle period is woken (answered in micro- to milliseconds), not found at a sleep's timeout (the C peer's
 * heartbeat-thread watch at 250 ms, its 10 s backstop; the Java receive's 1 s calls, 400 ms watch, 10 s backstop).
 * Skipped, not failed, when the machine has no {@code gcc}.
 */
class WakeExtensionInteropTest {

    /** Far below every timeout or watch period of either side, far above a futex wake-up (0.1-5 ms on a VM). */
    private static final double WOKEN_WITHIN_US = 50_000;

    /** Absolute offsets of docs/wake-extension.md §1 (cap 256, both refpeer and the Java host's default). */
    private static final int FLAGS = 12;
    private static final int A_TO_B_CONSUMER_WAITING = 136;
    private static final int B_TO_A_CONSUMER_WAITING = 16712;
    /** Spec §2: the plugin's heartbeat epoch, one more at each of its beats. */
    private static final int PEER_B_EPOCH = 24;

    /** The flags bits of docs/wake-extension.md §1: WAKE_A, WAKE_A | WAKE_B, CLOSES_BY_REMOVAL (section 11). */
    private static final int WAKE_A = 0x1;
    private static final int WAKE_BOTH = 0x3;
    private static final int CLOSES_BY_REMOVAL = 0x4;
    private static final int BEAT_WAKE_A = 0x8;
    private static final int BEAT_FOLLOW_B = 0x10;

    @TempDir
    static Path buildDirectory;

    private static Path binary;

    // ---- C host (refpeer host --wake 1) and Java plugins -------------------------------------------------------

    @Test
    void cHostAndPlainJavaPluginSetFlags3AndWakeEachOtherAfterIdle(@TempDir Path directory) throws Exception {
        // One idle period of 1.2 s right after the calls: by then the Java plugin's threads have stopped polling for
        // the next request, and a call that no FUTEX_WAKE announced waits for its watch (150-190 ms measured with the
        // C host's wake taken out), not 50 ms. (After a single call it keeps looking for a while: no proof there.)
        Run run = cHost(directory, javaPluginCommand(), "--wake", "1", "--calls", "2000", "--warmup", "2000",
                "--idle-seconds", "1.2", "--exit-wait", "10");
        assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isZero();
        WakeLine host = WakeLine.of("host", run.output());
        assertThat(host.flags()).as("flags: WAKE_A by the C host, WAKE_B by the Java plugin").isEqualTo(3);
        assertThat(host.inUse()).isTrue();
        // The C host woke the Java plugin's sleeping receiver (at least after the idle period), and its own sleeps
        // (waiting for answers) ended by the Java plugin's FUTEX_WAKE, never by their timeout.
        assertThat(host.wakesSent()).as("FUTEX_WAKEs the C host sent; output:%n%s", run.output()).isPositive();
        assertThat(host.woken()).as("C host sleeps ended by the Java plugin's wake").isPositive();
        assertThat(host.timedOut()).as("C host sleeps that ran into their timeout").isZero();
        assertThat(firstCallsAfterIdle(run.output())).hasSize(1).allSatisfy(us -> assertThat(us)
            .as("a first call after idle is woken, not found at a timeout").isLessThan(WOKEN_WITHIN_US));
        // The C host runs the wake extension but makes no CLOSES_BY_REMOVAL promise (docs/wake-extension.md section
        // 11): it ends the v1.0 way, stops heartbeating and keeps its process and the file until the plugin has
        // exited, and the Java plugin takes that for the end, as spec §3 says.
        assertThat(run.output()).contains("plugin exited by itself");
        assertNoSegmentLeft(directory);
    }

    @Test
    void aCHostThatPromisesToCloseByRemovalIsWaitedForThroughAStallAndEndsThePluginByRemovingTheFile(
            @TempDir Path directory) throws Exception {
        // docs/wake-extension.md section 11 from the C side: flags 0x7, then 5 s without a heartbeat (beyond the 3 s
        // liveness timeout) while the host process lives and maps the file: a stall, which the Java plugin waits out;
        // then the close, which stops the heartbeat and removes the file: the end, which it takes at once.
        Run run = cHost(directory, javaPluginCommand(), "--wake", "1", "--closes-by-removal", "1", "--stall-seconds", "5",
                "--calls", "200", "--warmup", "200", "--exit-wait", "10");
        assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isZero();
        assertThat(WakeLine.of("host", run.output()).flags()).isEqualTo(WAKE_BOTH | CLOSES_BY_REMOVAL);
        assertThat(run.output()).contains("after the stall: the plugin waited and answered")
            .contains("plugin exited by itself");
        assertNoSegmentLeft(directory);
    }

    @Test
    void aCHostWithoutThePromiseThatFallsSilentHasEndedTheSessionAsSpecThreeSays(@TempDir Path directory)
            throws Exception {
        // The same stall from a host that runs the wake extension but made no promise: 3 s of silence is its end.
        Run run = cHost(directory, javaPluginCommand(), "--wake", "1", "--closes-by-removal", "0", "--stall-seconds", "5",
                "--calls", "200", "--warmup", "200", "--exit-wait", "10");
        assertThat(run.output()).contains("the plugin exited during the stall")
            .contains("the host's heartbeat stood still beyond the liveness timeout");
        assertThat(run.exitCode()).as("refpeer host's verdict on the stall").isEqualTo(1);
        assertThat(WakeLine.of("host", run.output()).flags()).isEqualTo(WAKE_BOTH);
        assertNoSegmentLeft(directory);
    }

    @Test
    void plainJavaPluginUnderTheWakeHostSleepsWhereUnderAV10HostItPolls(@TempDir Path directory) throws Exception {
        IdleSample v10 = idleSample(directory, javaPluginCommand(), "0");
        IdleSample wake = idleSample(directory, javaPluginCommand(), "1");
        assertThat(v10.flags()).as("a v1.0 host's flags word, never written by the Java plugin").isZero();
        assertThat(wake.flags()).as("the flags word read from the segment file during the idle period").isEqualTo(3);
        assertThat(wake.hostToPluginWaiting()).as("the Java plugin announced its sleep during the idle period: A->B"
                + " consumer_waiting").isEqualTo(1);
        assertThat(v10.hostToPluginWaiting()).as("nobody writes consumer_waiting when not in use, all through the idle"
                + " period").isZero();
        // Under a v1.0 host the Java receive polls (parks of up to 4 ms: ~250 wake-ups a second); asleep in the
        // kernel it wakes about once a second, the heartbeat 2.5 times. Only rapace's threads are counted: the JIT
        // compilers of a JVM started a second before can wake as often (a loaded CI run: 146 against 294 a second).
        assertThat(wake.runsPerSecond()).as("wake-ups/s of the plugin's rapace threads, extension in use vs v1.0: %s vs %s",
                wake, v10).isLessThan(v10.runsPerSecond() / 3);
    }

    @Test
    void cHostAndSpringSamplePluginSetFlags3AndWakeAfterIdle(@TempDir Path directory) throws Exception {
        Path jar = Path.of(System.getProperty("rapace.refpeer.source", "reference-peer/refpeer.c"))
            .toAbsolutePath().getParent().getParent().getParent().resolve("sample-plugin-app/target/sample-plugin-app.jar");
        assumeTrue(Files.isRegularFile(jar), "the Spring sample plugin is not built: " + jar);
        Run run = cHost(directory, java() + " -jar " + jar, "--wake", "1", "--calls", "2000", "--warmup", "2000",
                "--idle-seconds", "1.2", "--exit-wait", "10");
        assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isZero();
        WakeLine host = WakeLine.of("host", run.output());
        assertThat(host.flags()).isEqualTo(3);
        assertThat(host.wakesSent()).isPositive();
        assertThat(host.timedOut()).isZero();
        assertThat(firstCallsAfterIdle(run.output())).singleElement().satisfies(us -> assertThat(us)
            .isLessThan(WOKEN_WITHIN_US));
        assertThat(run.output()).contains("plugin exited by itself");
        assertNoSegmentLeft(directory);
    }

    // ---- Java host (RapaceHost in this JVM) and the C plugin --------------------------------------------------

    @Test
    void javaHostAndCPluginSetFlags3AndTheCPluginSleepsInTheKernelUntilWoken(@TempDir Path directory)
            throws Exception {
        Path stderr = directory.resolve("plugin.err");
        Process pluginProcess;
        try (RapaceHost host = RapaceHost.builder().command(refpeer().toString(), "plugin", "--wake", "1")
            .redirectError(Redirect.to(stderr.toFile())).start()) {
            pluginProcess = host.process();
            Calculator calculator = host.client(Calculator.class);
            host.awaitPluginStarted(Duration.ofSeconds(30));
            for (int i = 0; i < 2000; i++) {
                assertThat(calculator.add(i, 1)).isEqualTo(i + 1);
            }
            try (Segment segment = Segment.open(host.path())) {
                assertThat(segment.u32(FLAGS)).as("flags: WAKE_A, CLOSES_BY_REMOVAL and BEAT_WAKE_A by the Java host,"
                    + " WAKE_B by the C plugin (which does not follow beats here)")
                    .isEqualTo(WAKE_BOTH | CLOSES_BY_REMOVAL | BEAT_WAKE_A);
                assertThat(host.session().transport().wakeExtensionActive()).isTrue();
                // The C plugin announces its sleep (A->B consumer_waiting = 1) and its receiver sits in the kernel.
                await().atMost(Duration.ofSeconds(5)).until(() -> segment.u32(A_TO_B_CONSUMER_WAITING) == 1);
                long pid = pluginProcess.pid();
                assertThat(Files.readString(Path.of("/proc/" + pid + "/task/" + pid + "/wchan")))
                    .as("where the C plugin's receiving thread waits").contains("futex");
                // About one second of idleness, measured by the plugin's own heartbeat (4 beats, 250 ms apart).
                long cpu0 = ProcessCpu.nanos(pid), beat0 = segment.u64(PEER_B_EPOCH), wall0 = System.nanoTime();
                await().atMost(Duration.ofSeconds(10)).until(() -> segment.u64(PEER_B_EPOCH) >= beat0 + 4);
                double idlePercent = (ProcessCpu.nanos(pid) - cpu0) * 100.0 / (System.nanoTime() - wall0);
                assertThat(idlePercent).as("C plugin CPU while idle (busy polling: ~100 %%)").isLessThan(5.0);
                assertThat(segment.u32(A_TO_B_CONSUMER_WAITING)).as("still asleep after the idle period").isEqualTo(1);
                long t0 = System.nanoTime();
                assertThat(calculator.add(40, 2)).isEqualTo(42);
                double firstUs = (System.nanoTime() - t0) / 1e3;
                assertThat(firstUs).as("first call after idle: the Java host woke the C plugin").isLessThan(WOKEN_WITHIN_US);
            }
        }
        // The host's close sends SIGTERM: refpeer --wake 1 then prints its wake line and exits 0.
        assertThat(pluginProcess.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        assertThat(pluginProcess.exitValue()).as("plugin exit; stderr:%n%s", err).isZero();
        WakeLine plugin = WakeLine.of("plugin", err);
        assertThat(plugin.flags()).isEqualTo(WAKE_BOTH | CLOSES_BY_REMOVAL | BEAT_WAKE_A);
        assertThat(plugin.woken()).as("C plugin sleeps ended by the Java host's FUTEX_WAKE").isPositive();
        assertThat(plugin.timedOut()).as("C plugin sleeps that ran into the 10 s backstop").isZero();
        assertThat(plugin.wakesSent()).as("the C plugin woke the Java host's sleeping receive").isPositive();
    }

    @Test
    void javaHostAndCPluginWithoutTheExtensionStayV10WithFlags1(@TempDir Path directory) throws Exception {
        try (RapaceHost host = RapaceHost.builder().command(refpeer().toString(), "plugin", "--wake", "0")
            .redirectError(Redirect.to(directory.resolve("plugin.err").toFile())).start()) {
            Calculator calculator = host.client(Calculator.class);
            host.awaitPluginStarted(Duration.ofSeconds(30));
            for (int i = 0; i < 500; i++) {
                assertThat(calculator.add(i, 2)).isEqualTo(i + 2);
            }
            try (Segment segment = Segment.open(host.path())) {
                assertThat(segment.u32(FLAGS)).as("the Java host's bits only: the plugin never writes flags")
                    .isEqualTo(WAKE_A | CLOSES_BY_REMOVAL | BEAT_WAKE_A);
                assertThat(host.session().transport().wakeExtensionActive()).isFalse();
                // Not in use: nobody writes consumer_waiting, whoever would sleep polls instead.
                long beat0 = segment.u64(PEER_B_EPOCH);
                await().atMost(Duration.ofSeconds(10)).until(() -> segment.u64(PEER_B_EPOCH) >= beat0 + 3);
                assertThat(segment.u32(A_TO_B_CONSUMER_WAITING)).isZero();
                assertThat(segment.u32(B_TO_A_CONSUMER_WAITING)).isZero();
            }
            assertThat(calculator.add(40, 2)).isEqualTo(42);
        }
    }

    // ---- BEAT_FOLLOW (docs/wake-extension.md section 12), the C peer written from that section -----------------

    @Test
    void aCHostThatWakesAfterItsBeatsIsFollowedByTheJavaPlugin(@TempDir Path directory) throws Exception {
        Run run = cHost(directory, javaPluginCommand(), "--wake", "1", "--beat-follow", "1", "--calls", "2000",
                "--warmup", "2000", "--idle-seconds", "1.5", "--exit-wait", "10");
        assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isZero();
        BeatFollowLine host = BeatFollowLine.of("host", run.output());
        assertThat(host.flags()).as("WAKE_A and BEAT_WAKE_A by the C host, WAKE_B and BEAT_FOLLOW_B by the Java plugin")
            .isEqualTo(WAKE_BOTH | BEAT_WAKE_A | BEAT_FOLLOW_B);
        assertThat(host.inUse()).isTrue();
        assertThat(host.wakesSent()).as("the C host's wakes of the Java plugin's heartbeat; output:%n%s", run.output())
            .isPositive();
        assertThat(run.output()).contains("plugin exited by itself");
        assertNoSegmentLeft(directory);
    }

    @Test
    void aCPluginFollowsTheJavaHostsBeats(@TempDir Path directory) throws Exception {
        Path stderr = directory.resolve("plugin.err");
        Process pluginProcess;
        try (RapaceHost host = RapaceHost.builder()
            .command(refpeer().toString(), "plugin", "--wake", "1", "--beat-follow", "1")
            .redirectError(Redirect.to(stderr.toFile())).start()) {
            pluginProcess = host.process();
            Calculator calculator = host.client(Calculator.class);
            host.awaitPluginStarted(Duration.ofSeconds(30));
            assertThat(calculator.add(40, 2)).isEqualTo(42);
            try (Segment segment = Segment.open(host.path())) {
                assertThat(segment.u32(FLAGS)).isEqualTo(WAKE_BOTH | CLOSES_BY_REMOVAL | BEAT_WAKE_A | BEAT_FOLLOW_B);
                // A few of the Java host's beats (400 ms apart), each followed by the C plugin's.
                long beat0 = segment.u64(PEER_B_EPOCH);
                await().atMost(Duration.ofSeconds(10)).until(() -> segment.u64(PEER_B_EPOCH) >= beat0 + 4);
            }
        }
        assertThat(pluginProcess.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        BeatFollowLine plugin = BeatFollowLine.of("plugin", err);
        assertThat(plugin.inUse()).isTrue();
        assertThat(plugin.woken()).as("C plugin heartbeat sleeps ended by the Java host's beats; stderr:%n%s", err)
            .isGreaterThanOrEqualTo(3);
    }

    @Test
    void aCHostThatOffersBeatFollowToAPluginThatDoesNotRunItNeverWakes(@TempDir Path directory) throws Exception {
        Run run = cHost(directory, refpeer() + " plugin --wake 1", "--wake", "1", "--beat-follow", "1", "--calls",
                "2000", "--warmup", "200", "--idle-seconds", "1", "--exit-wait", "8");
        assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isZero();
        BeatFollowLine host = BeatFollowLine.of("host", run.output());
        assertThat(host.flags()).isEqualTo(WAKE_BOTH | BEAT_WAKE_A);
        assertThat(host.inUse()).isFalse();
        assertThat(host.wakesSent()).isZero();
    }

    // ---- the C peer with itself, with the extension on either side or both ------------------------------------

    @ParameterizedTest(name = "host --wake {0}, plugin --wake {1}: flags {2}")
    @CsvSource({"1, 1, 3", "1, 0, 1", "0, 1, 0"})
    void cHostAndCPluginUseTheExtensionOnlyWhenBothRunIt(String hostWake, String pluginWake, int flags,
            @TempDir Path directory) throws Exception {
        Run run = cHost(directory, refpeer() + " plugin --wake " + pluginWake, "--wake", hostWake, "--calls", "2000",
                "--warmup", "200", "--idle-seconds", "0.5", "--range", "500", "--bulk", "3", "--exit-wait", "8");
        assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isZero();
        assertThat(run.output()).contains("RESULT name=wake/range ").contains("RESULT name=wake/sha256-60KiB ")
            .contains("plugin exited by itself").doesNotContain("invalid descriptor");
        boolean inUse = flags == 3;
        WakeLine side = WakeLine.of(hostWake.equals("1") ? "host" : "plugin", run.output());
        assertThat(side.flags()).isEqualTo(flags);
        assertThat(side.inUse()).isEqualTo(inUse);
        if (pluginWake.equals("1")) {
            assertThat(WakeLine.of("plugin", run.output()).flags()).as("the plugin's view").isEqualTo(flags);
        }
        double idle = resultField(run.output(), "idle_cpu_pct");
        if (inUse) {
            assertThat(idle).as("C plugin CPU while idle, asleep in the kernel").isLessThan(5.0);
            assertThat(side.wakesSent()).isPositive();
            assertThat(resultField(run.output(), "first_after_idle_us")).isLessThan(WOKEN_WITHIN_US);
        }
        else {
            assertThat(idle).as("C plugin CPU while idle, polling as v1.0").isGreaterThan(50.0);
            assertThat(side.sleeps()).isZero();
            assertThat(side.wakesSent()).isZero();
        }
        assertNoSegmentLeft(directory);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** The "wake extension:" line that refpeer's host or plugin role prints at its end. */
    private record WakeLine(int flags, boolean inUse, long sleeps, long woken, long timedOut, long wakesSent) {

        private static final Pattern LINE = Pattern.compile("refpeer (host|plugin): wake extension: flags 0x([0-9a-f]+),"
                + " (in use|not in use)[^;]*; (\\d+) sleeps in FUTEX_WAIT \\((\\d+) woken, \\d+ EAGAIN, (\\d+) timed out\\),"
                + " (\\d+) FUTEX_WAKEs sent, \\d+ watch wakes");

        static WakeLine of(String role, String output) {
            Matcher m = lineOf(LINE, role, output, "wake extension");
            return new WakeLine(Integer.parseInt(m.group(2), 16), m.group(3).equals("in use"), Long.parseLong(m.group(4)),
                    Long.parseLong(m.group(5)), Long.parseLong(m.group(6)), Long.parseLong(m.group(7)));
        }
    }

    /** The "beat follow:" line that refpeer's host or plugin role prints at its end with {@code --beat-follow 1}. */
    private record BeatFollowLine(int flags, boolean inUse, long wakesSent, long waits, long woken) {

        private static final Pattern LINE = Pattern.compile("refpeer (host|plugin): beat follow: flags 0x([0-9a-f]+),"
                + " (in use|not in use); (\\d+) wakes sent, (\\d+) waits \\((\\d+) woken");

        static BeatFollowLine of(String role, String output) {
            Matcher m = lineOf(LINE, role, output, "beat follow");
            return new BeatFollowLine(Integer.parseInt(m.group(2), 16), m.group(3).equals("in use"),
                    Long.parseLong(m.group(4)), Long.parseLong(m.group(5)), Long.parseLong(m.group(6)));
        }
    }

    /** The first match of {@code line} (whose group 1 is the role) that {@code role}'s refpeer printed in {@code output}. */
    private static Matcher lineOf(Pattern line, String role, String output, String what) {
        Matcher m = line.matcher(output);
        while (m.find()) {
            if (m.group(1).equals(role)) {
                return m;
            }
        }
        throw new AssertionError("no " + what + " line of the " + role + " in:\n" + output);
    }

    /** The plugin's threads over an idle period of the C host, and the segment's words read meanwhile. */
    private record IdleSample(double cpuPercent, double runsPerSecond, int flags, int hostToPluginWaiting) {
    }

    /**
     * Runs the C host ({@code --wake hostWake}) against the plugin, and samples the plugin's threads from the moment
     * the host starts its 1.5 s idle period (it prints its latencies, sleeps 200 ms, then idles) to the end of it.
     */
    private static IdleSample idleSample(Path directory, String pluginCommand, String hostWake) throws Exception {
        Path log = directory.resolve("host-" + hostWake + ".log");
        Process process = new ProcessBuilder(refpeer().toString(), "host", "--label", "idle", "--wake", hostWake,
                "--plugin-cmd", pluginCommand, "--calls", "2000", "--warmup", "2000", "--idle-seconds", "1.5",
                "--exit-wait", "0.1", "--shm-dir", directory.toString())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("x Calculator.add: p50"));
            long pid = process.children().findFirst().orElseThrow().pid();
            Path segmentFile;
            try (Stream<Path> files = Files.list(directory)) {
                segmentFile = files.filter(p -> p.toString().endsWith(".shm")).findFirst().orElseThrow();
            }
            long cpu0 = ProcessCpu.nanos(pid), runs0 = runs(pid), wall0 = System.nanoTime();
            int flags;
            int waiting = 0;
            try (Segment segment = Segment.open(segmentFile)) {
                // consumer_waiting is read all through the idle period, its largest value kept: once the round's call
                // is done the plugin is awake to serve it, and the host's close 0.1 s later wakes it for good (a
                // single read after the call raced with both).
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!Files.readString(log).contains("(round 1 of 1)") && process.isAlive()) {
                    assertThat(System.nanoTime() - deadline).as("the idle period's end within 10 s").isNegative();
                    waiting = Math.max(waiting, segment.u32(A_TO_B_CONSUMER_WAITING));
                    Thread.sleep(5);
                }
                flags = segment.u32(FLAGS);
            }
            long wall = System.nanoTime() - wall0;
            IdleSample sample = new IdleSample((ProcessCpu.nanos(pid) - cpu0) * 100.0 / wall, (runs(pid) - runs0) * 1e9 / wall,
                    flags, waiting);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("exit code; output:%n%s", Files.readString(log)).isZero();
            return sample;
        }
        finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
    }

    /** How often the plugin's rapace threads (named {@code rapace-…}) were switched in so far. */
    private static long runs(long pid) throws IOException {
        return ThreadTimes.of(pid).stream().filter((thread) -> thread.name().startsWith("rapace-"))
            .mapToLong(ThreadTime::switches).sum();
    }

    /** The segment file, mapped read-only: its words as the peers left them, read anew at each call. */
    private static final class Segment implements AutoCloseable {
        private final FileChannel channel;
        private final MappedByteBuffer map;

        private Segment(FileChannel channel) throws IOException {
            this.channel = channel;
            this.map = channel.map(FileChannel.MapMode.READ_ONLY, 0, 32768);
            this.map.order(ByteOrder.LITTLE_ENDIAN);
        }

        static Segment open(Path path) throws IOException {
            return new Segment(FileChannel.open(path, StandardOpenOption.READ));
        }

        int u32(int offset) {
            return map.getInt(offset);
        }

        long u64(int offset) {
            return map.getLong(offset);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static List<Double> firstCallsAfterIdle(String output) {
        List<Double> firsts = new ArrayList<>();
        Matcher m = Pattern.compile("first call after idle ([0-9.]+) us").matcher(output);
        while (m.find()) {
            firsts.add(Double.parseDouble(m.group(1)));
        }
        return firsts;
    }

    private static double resultField(String output, String field) {
        Matcher m = Pattern.compile("(?m)^RESULT name=wake .*" + field + "=([0-9.]+)").matcher(output);
        assertThat(m.find()).as("%s in the RESULT line; output:%n%s", field, output).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static void assertNoSegmentLeft(Path directory) throws IOException {
        try (Stream<Path> left = Files.list(directory)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".shm"));
        }
    }

    private record Run(String output, int exitCode) {
    }

    /** refpeer host with the plugin command, the segment in {@code directory}; waits for its end. */
    private static Run cHost(Path directory, String pluginCommand, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(refpeer().toString(), "host", "--label", "wake",
                "--plugin-cmd", pluginCommand, "--shm-dir", directory.toString()));
        command.addAll(List.of(options));
        Path log = directory.resolve("host.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("refpeer host finished").isTrue();
            return new Run(Files.readString(log, StandardCharsets.UTF_8), process.exitValue());
        }
        finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
    }

    /**
     * The plain-Java plugin from this module's classes, as {@code java -cp rapace-benchmarks.jar ...} starts it,
     * through a script (the test class path is longer than the command refpeer's host role takes).
     */
    private static synchronized String javaPluginCommand() throws Exception {
        Path script = buildDirectory.resolve("plain-plugin");
        if (!Files.exists(script)) {
            Files.writeString(script, "#!/bin/sh\nexec '" + java() + "' -cp '" + System.getProperty("java.class.path")
                    + "' " + CalculatorPluginMain.class.getName() + " \"$@\"\n");
            assertThat(script.toFile().setExecutable(true)).isTrue();
        }
        return script.toString();
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElseThrow();
    }

    private static synchronized Path refpeer() throws Exception {
        if (binary == null) {
            binary = ReferencePeerTest.build(buildDirectory);
        }
        return binary;
    }
}
