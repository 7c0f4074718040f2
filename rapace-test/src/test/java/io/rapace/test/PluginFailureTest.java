package io.rapace.test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rapace.test.CaseRunner.Outcome;
import io.rapace.testsupport.logging.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What a plugin author sees when the plugin misbehaves, checked on real plugin processes run by real test
 * classes (nested cases, run through the launcher): the failure names the exit code and shows the log, and no
 * process or segment file is left behind.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PluginFailureTest {

    private static final Pattern PROCESS = Pattern.compile("process (\\d+)\\)");

    private static final Pattern SEGMENT = Pattern.compile("segment (/\\S+\\.shm)");

    static final AtomicLong pid = new AtomicLong();

    static final AtomicReference<Path> segment = new AtomicReference<>();

    // The host warns about each plugin these cases make die or hang on purpose: captured, not printed.
    @RegisterExtension
    final LogCapture logs = LogCapture.of("io.rapace");

    /** The plugin exits with 3 before it opens its segment. */
    static class DiesAtStartCase {

        @RegisterExtension
        static RapacePluginExtension plugin = RapacePluginExtension.mainClass(DyingPluginMain.class);

        @Test
        void neverRuns() {
            fail("the test ran although its plugin died during start-up");
        }
    }

    @Test
    void aPluginThatDiesDuringStartUpFailsTheClassWithItsExitCodeAndLogTail() {
        List<Outcome> outcomes = CaseRunner.run(DiesAtStartCase.class);
        Outcome container = CaseRunner.classOutcome(outcomes, DiesAtStartCase.class);
        assertThat(container.failed()).isTrue();
        assertThat(container.result().getThrowable()).get().isInstanceOfSatisfying(RapacePluginException.class,
                ex -> assertThat(ex.exitCode()).hasValue(3));
        String message = container.failureMessage();
        assertThat(message).contains("main class " + DyingPluginMain.class.getName())
                .contains("exited with code 3 during start-up, before it opened the segment")
                .contains("| " + DyingPluginMain.WHY);
        assertNoProcessLeft(number(PROCESS, message));
        assertThat(Path.of(group(SEGMENT, message))).doesNotExist();
        assertThat(outcomes).noneMatch(o -> !o.container() && !o.failed());
    }

    /** The plugin ignores SIGTERM: its JVM stays up. */
    static class DoesNotExitCase {

        @RegisterExtension
        static RapacePluginExtension plugin = RapacePluginExtension.mainClass(StubbornPluginMain.class)
                .stopTimeout(Duration.ofSeconds(2));

        @Test
        void calls(Greeter greeter) {
            assertThat(greeter.greet("dee")).isEqualTo("hello dee");
            pid.set(plugin.process().orElseThrow().pid());
            segment.set(plugin.segmentPath());
        }
    }

    @Test
    void aPluginThatDoesNotExitAtTheEndIsReportedAndKilled() {
        List<Outcome> outcomes = CaseRunner.run(DoesNotExitCase.class);
        assertThat(outcomes).filteredOn(o -> !o.container()).singleElement().satisfies(o -> assertThat(o.failed())
                .isFalse());
        Outcome container = CaseRunner.classOutcome(outcomes, DoesNotExitCase.class);
        assertThat(container.failed()).isTrue();
        assertThat(container.failureMessage())
                .contains("did not exit within the stop timeout PT2S after SIGTERM and was killed (exit code 137)")
                .contains("| stubborn plugin: ignoring the stop");
        assertNoProcessLeft(pid.get());
        assertThat(segment.get()).doesNotExist();
    }

    /** The plugin dies in the middle of a test. */
    static class DiesDuringATestCase {

        @RegisterExtension
        static RapacePluginExtension plugin = RapacePluginExtension.mainClass(GreeterPluginMain.class);

        @Test
        void haltsThePlugin(Greeter greeter) throws InterruptedException {
            pid.set(plugin.process().orElseThrow().pid());
            segment.set(plugin.segmentPath());
            try {
                greeter.halt(5);
            }
            catch (RuntimeException expected) {
                // The call fails: the plugin is gone.
            }
            plugin.process().orElseThrow().waitFor();
        }
    }

    @Test
    void aPluginThatDiedDuringTheTestsIsReportedWithItsExitCode() {
        List<Outcome> outcomes = CaseRunner.run(DiesDuringATestCase.class);
        Outcome container = CaseRunner.classOutcome(outcomes, DiesDuringATestCase.class);
        assertThat(container.failureMessage()).contains("had exited with code 5 before the end of the tests")
                .contains("| " + GreeterPluginMain.STARTED);
        assertNoProcessLeft(pid.get());
        assertThat(segment.get()).doesNotExist();
    }

    /** A test fails while the plugin runs. */
    static class FailingTestCase {

        @RegisterExtension
        static RapacePluginExtension plugin = RapacePluginExtension.mainClass(GreeterPluginMain.class);

        @Test
        void fails(Greeter greeter) {
            assertThat(greeter.greet("eve")).isEqualTo("goodbye eve");
        }
    }

    @Test
    void aFailingTestPrintsThePluginsLogTailAndAWellBehavedPluginPassesTheClass() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<Outcome> outcomes;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            outcomes = CaseRunner.run(FailingTestCase.class);
        }
        finally {
            System.setErr(original);
        }
        assertThat(outcomes).filteredOn(o -> !o.container()).singleElement().satisfies(o -> assertThat(o.failed())
                .isTrue());
        assertThat(CaseRunner.classOutcome(outcomes, FailingTestCase.class).failed()).isFalse();
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("[rapace-test] fails(Greeter) failed; last")
                .contains("| " + GreeterPluginMain.STARTED);
    }

    /** Each test gets its own plugin. */
    static class PerMethodCase {

        static final List<Long> pids = new java.util.concurrent.CopyOnWriteArrayList<>();

        static final List<Path> segments = new java.util.concurrent.CopyOnWriteArrayList<>();

        @RegisterExtension
        RapacePluginExtension plugin = RapacePluginExtension.mainClass(GreeterPluginMain.class);

        @Test
        void first(Greeter greeter) {
            this.record(greeter);
        }

        @Test
        void second(Greeter greeter) {
            this.record(greeter);
        }

        private void record(Greeter greeter) {
            pids.add(greeter.pid());
            segments.add(this.plugin.segmentPath());
        }
    }

    @Test
    void anInstanceFieldGivesEachTestAFreshPluginAndLeavesNothingBehind() {
        List<Outcome> outcomes = CaseRunner.run(PerMethodCase.class);
        assertThat(outcomes).allMatch(o -> !o.failed(), "all pass");
        assertThat(PerMethodCase.pids).hasSize(2).doesNotHaveDuplicates();
        PerMethodCase.pids.forEach(PluginFailureTest::assertNoProcessLeft);
        assertThat(PerMethodCase.segments).hasSize(2).allMatch(p -> !p.toFile().exists());
    }

    /** The in-JVM mode. */
    static class InJvmCase {

        @RegisterExtension
        static RapacePluginExtension plugin = RapacePluginExtension.inJvm(new GreeterImpl());

        @Test
        void calls(Greeter greeter) {
            assertThat(greeter.greet("fay")).isEqualTo("hello fay");
            segment.set(plugin.segmentPath());
        }
    }

    @Test
    void theInJvmModeRemovesItsSegmentFile() {
        List<Outcome> outcomes = CaseRunner.run(InJvmCase.class);
        assertThat(outcomes).isNotEmpty().allMatch(o -> !o.failed(), "all pass");
        assertThat(segment.get()).doesNotExist();
    }

    private static void assertNoProcessLeft(long processId) {
        assertThat(processId).isPositive();
        assertThat(ProcessHandle.of(processId).filter(ProcessHandle::isAlive)).as("process %d", processId).isEmpty();
    }

    private static long number(Pattern pattern, String message) {
        return Long.parseLong(group(pattern, message));
    }

    private static String group(Pattern pattern, String message) {
        Matcher matcher = pattern.matcher(message);
        if (!matcher.find()) {
            throw new AssertionError("no " + pattern + " in: " + message);
        }
        return matcher.group(1);
    }
}
