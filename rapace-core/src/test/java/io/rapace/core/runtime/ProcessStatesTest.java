package io.rapace.core.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A process's state as {@code /proc/PID/stat} shows it ({@link ProcessStates#of}), read from a real process whose
 * name holds a byte that is not UTF-8 (a process is named after its executable, or whatever {@code prctl} says).
 */
class ProcessStatesTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** The name the process below runs under: "sl", the byte 0xFF, "p". */
    private static final byte[] ODD_NAME = {'s', 'l', (byte) 0xFF, 'p'};

    @TempDir
    Path dir;

    @Test
    void theStateOfAProcessWhoseNameIsNotUtf8IsReadSleepingThenStopped() throws Exception {
        // sh copies sleep to a file of that name and execs it: the process keeps sh's pid and takes the new name.
        Process odd = new ProcessBuilder(List.of("sh", "-c",
                "name=\"$1/sl$(printf '\\377')p\"; cp \"$(command -v sleep)\" \"$name\" && exec \"$name\" 600", "sh",
                this.dir.toString())).start();
        Path comm = Path.of("/proc", Long.toString(odd.pid()), "comm");
        try {
            await().atMost(PATIENCE).until(() -> Arrays.equals(Files.readAllBytes(comm), withNewline(ODD_NAME)));

            await().atMost(PATIENCE).until(() -> ProcessStates.of(odd.pid()) == 'S');
            assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(odd.pid())).start().waitFor()).isZero();
            await().atMost(PATIENCE).until(() -> ProcessStates.isStopped(ProcessStates.of(odd.pid())));
        }
        finally {
            odd.destroyForcibly();
            assertThat(odd.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static byte[] withNewline(byte[] name) {
        byte[] line = Arrays.copyOf(name, name.length + 1);
        line[name.length] = '\n';
        return line;
    }
}
