package io.rapace.core.runtime;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A plugin's note of its parent read from {@code /proc} alone ({@link ParentProcess}), against what the JDK's
 * {@link ProcessHandle} says of the same processes; and that a noted process that exited, or a later one with its
 * PID, is not taken for it.
 */
class ParentProcessTest {

    @BeforeAll
    static void onLinux() {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("linux"),
                "reads /proc");
    }

    @Test
    void theParentNotedFromProcIsTheOneTheJdkSees() {
        ProcessHandle parent = ProcessHandle.current().parent().orElseThrow();

        Optional<ParentProcess> noted = ParentProcess.ofThisProcess();

        assertThat(noted).map(ParentProcess::pid).contains(parent.pid());
        assertThat(noted.orElseThrow().handleWhileRunning()).contains(parent);
        assertThat(ParentProcess.ofThisProcess()).as("read again: the same start time").isEqualTo(noted);
    }

    @Test
    void aNotedProcessThatExitedHasNoHandleAnyMore() throws Exception {
        Process child = new ProcessBuilder("sleep", "60").start();
        try {
            ParentProcess noted = noted(child.pid());
            assertThat(noted.handleWhileRunning()).contains(child.toHandle());

            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

            assertThat(noted.handleWhileRunning()).isEmpty();
        }
        finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aProcessThatStartedAtAnotherTimeIsNotTheOneNoted() throws Exception {
        Process child = new ProcessBuilder("sleep", "60").start();
        try {
            ParentProcess noted = noted(child.pid());
            // the same PID given to a later process: its start time differs
            ParentProcess earlier = new ParentProcess(noted.pid(), noted.startTicks() - 1);

            assertThat(earlier.handleWhileRunning()).isEmpty();
        }
        finally {
            child.destroyForcibly().waitFor();
        }
    }

    @Test
    void noProcessNoFields() {
        assertThat(ParentProcess.fields("no-such-process")).isNull();
        assertThat(ParentProcess.of(Integer.MAX_VALUE + 1L)).isEmpty();
        assertThat(ParentProcess.of(0)).isEmpty();
    }

    /** {@code pid} as {@link ParentProcess#ofThisProcess()} would note it. */
    private static ParentProcess noted(long pid) {
        return ParentProcess.of(pid).orElseThrow();
    }
}
