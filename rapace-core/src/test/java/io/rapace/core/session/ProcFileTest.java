package io.rapace.core.session;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** A /proc file read for one number, given up for good once it is missing. */
class ProcFileTest {

    @TempDir
    Path dir;

    @Test
    void readsTheNumberItsParserFindsAndOnceTheFileIsMissingNeverTriesAgain() throws Exception {
        Path file = this.dir.resolve("stat");
        Files.writeString(file, "42", StandardCharsets.US_ASCII);
        ProcFile proc = new ProcFile(file, false);
        int[] parses = {0};

        assertThat(proc.read(bytes -> {
            parses[0]++;
            return Long.parseLong(new String(bytes, StandardCharsets.US_ASCII));
        }, -1)).isEqualTo(42);

        Files.delete(file);
        assertThat(proc.read(bytes -> 7, -1)).as("missing").isEqualTo(-1);
        Files.writeString(file, "43", StandardCharsets.US_ASCII);
        assertThat(proc.read(bytes -> {
            parses[0]++;
            return 43;
        }, -1)).as("not tried again").isEqualTo(-1);
        assertThat(parses[0]).isOne();
    }
}
