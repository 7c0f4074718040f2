package io.rapace.testsupport;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * The command prefix that starts a process with SIGINT at its default, for tests that send a Ctrl-C. A runner started
 * in the background ({@code nohup}, {@code cmd &} in a script) passes "SIGINT ignored" on to every process it starts, and
 * a JVM that starts with SIGINT ignored never handles a Ctrl-C: such a test would wait for an exit that cannot come.
 * GNU env ({@code --default-signal}, coreutils 8.31 and later) puts the default back; without it the test is skipped
 * when SIGINT is ignored here.
 */
public final class DefaultSigint {

    private static final Path ENV = Path.of("/usr/bin/env");

    private DefaultSigint() {
    }

    /**
     * {@code [/usr/bin/env, --default-signal=INT]} when env can do it, else nothing (the test is skipped, by a failed
     * assumption, when SIGINT is ignored in this process).
     */
    public static List<String> prefix() throws IOException, InterruptedException {
        if (Files.isExecutable(ENV)) {
            Process probe = new ProcessBuilder(ENV.toString(), "--default-signal=INT", "true").redirectErrorStream(true)
                .redirectOutput(Redirect.DISCARD).start();
            if (probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                return List.of(ENV.toString(), "--default-signal=INT");
            }
            probe.destroyForcibly();
        }
        Assumptions.assumeFalse(ignoredHere(), "SIGINT is ignored in this process (started in the background?) and"
                + " no env --default-signal is there to undo it for the process under test");
        return List.of();
    }

    /** Whether this process ignores SIGINT (bit 2 of {@code SigIgn} in {@code /proc/self/status}). */
    private static boolean ignoredHere() throws IOException {
        String mask = Files.readAllLines(Path.of("/proc/self/status")).stream()
            .filter((line) -> line.startsWith("SigIgn:")).findFirst().orElse("SigIgn: 0").substring("SigIgn:".length())
            .trim();
        return (Long.parseLong(mask, 16) & 0x2) != 0;
    }
}
