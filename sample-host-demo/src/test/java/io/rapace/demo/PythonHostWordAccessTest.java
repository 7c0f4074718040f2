package io.rapace.demo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Python interop host reads and writes each header word with one load or store
 * ({@code interop/python-host/word_access_check.py}): a second process writing them never lets this one read half a
 * word. Written with {@code struct.pack_into}, about one read in fifteen saw 0, and a plugin once read a
 * {@code visible_head} of 0 behind its tail and ended the session (a CI run of {@link PythonHostInteropIT}). Skipped,
 * not failed, without {@code python3} on the {@code PATH}.
 */
class PythonHostWordAccessTest {

    @Test
    void aConcurrentReaderNeverSeesHalfAWord() throws Exception {
        Optional<Path> python = Executables.onPath("python3");
        assumeTrue(python.isPresent(), "no python3 on the PATH: the Python interop host cannot run");
        Path script = Path.of("../interop/python-host/word_access_check.py");
        assertThat(script).as("the word access check of the Python interop host").isRegularFile();

        Process process = new ProcessBuilder(List.of(python.get().toString(), script.toString(), "0.5"))
            .redirectErrorStream(true).start();
        try {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the check finished within 30 s").isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as("exit code; output:%n%s", output).isZero();
            assertThat(output).startsWith("OK no torn read in ");
        }
        finally {
            process.destroyForcibly().waitFor();
        }
    }
}
