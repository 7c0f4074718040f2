package io.rapace.core.runtime;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The tail of a plugin's output: its ring, its file read-back and the lines a report shows. */
class OutputTailTest {

    @Test
    void keepsTheLastBytesAndDropsTheCutFirstLine() {
        OutputTail tail = new OutputTail(16);
        byte[] text = "first line\nsecond\nthird\n".getBytes(StandardCharsets.US_ASCII);
        tail.append(text, 0, 5);
        tail.append(text, 5, text.length - 5);
        assertThat(new String(tail.bytes(), StandardCharsets.US_ASCII)).isEqualTo("ne\nsecond\nthird\n");
        assertThat(tail.truncated()).isTrue();
        assertThat(tail.lastLines(20)).containsExactly("second", "third");
        assertThat(tail.lastLines(1)).containsExactly("third");
    }

    @Test
    void aWriteLongerThanTheRingKeepsItsEnd() {
        OutputTail tail = new OutputTail(4);
        byte[] text = "abcdefgh".getBytes(StandardCharsets.US_ASCII);
        tail.append(text, 1, 7);
        assertThat(new String(tail.bytes(), StandardCharsets.US_ASCII)).isEqualTo("efgh");
        assertThat(tail.lastLines(20)).as("a single cut line is kept").containsExactly("efgh");
    }

    @Test
    void nothingWrittenIsNoLines() {
        OutputTail tail = new OutputTail(8);
        assertThat(tail.truncated()).isFalse();
        assertThat(tail.lastLines(20)).isEmpty();
    }

    @Test
    void stackFramesAreCondensedSoThatTheMessagesFit() {
        String trace = String.join("\n", "Exception in thread \"main\" java.lang.IllegalStateException: outer",
                "\tat a.A.one(A.java:1)", "\tat a.A.two(A.java:2)", "\tat a.A.three(A.java:3)",
                "\tat a.A.four(A.java:4)", "Caused by: java.io.IOException: inner", "\tat b.B.one(B.java:1)",
                "\t... 4 more", "");
        assertThat(TailLines.of(trace, false, 20)).containsExactly(
                "Exception in thread \"main\" java.lang.IllegalStateException: outer", "\tat a.A.one(A.java:1)",
                "\tat a.A.two(A.java:2)", "\t... 2 frames left out", "Caused by: java.io.IOException: inner",
                "\tat b.B.one(B.java:1)", "\t... 4 more");
        assertThat(TailLines.of("x\n    at a.A.one(A.java:1)\n    at a.A.two\n    at a.A.three", false, 2))
                .containsExactly("    at a.A.two", "\t... 1 frames left out");
    }

    @Test
    void aFileIsReadBackFromItsEnd(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("plugin.log");
        Files.writeString(file, "old line\n".repeat(1000) + "the last words\n");
        assertThat(OutputTail.lastLinesOf(file, 64, 20)).endsWith("the last words").hasSizeLessThanOrEqualTo(7)
                .allMatch((line) -> line.equals("old line") || line.equals("the last words"));
        Files.writeString(file, "");
        assertThat(OutputTail.lastLinesOf(file, 64, 20)).isEqualTo(List.of());
    }
}
