package io.rapace.core.session;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A /proc file read for one number: kept open and read again from its start, opened again by another thread when it is
 * the reading thread's own, given up for good once it cannot be opened or is closed. Regular files stand in for
 * /proc's here: replacing one shows which opening a reading used.
 */
class ProcFileTest {

    /** The whole text, as a number. */
    static final ProcFile.Parser NUMBER = (text, length) -> Long.parseLong(new String(text, 0, length,
            StandardCharsets.US_ASCII));

    static final long UNKNOWN = -1;

    @TempDir
    Path dir;

    @Test
    void readsTheNumberItsParserFindsAndOnceTheFileCannotBeOpenedNeverTriesAgain() throws Exception {
        Path file = this.dir.resolve("stat");
        Files.writeString(file, "42", StandardCharsets.US_ASCII);
        try (ProcFile proc = new ProcFile(file, false, NUMBER, UNKNOWN)) {
            assertThat(proc.read()).isEqualTo(42);
        }

        Path missing = this.dir.resolve("missing");
        int[] parses = {0};
        try (ProcFile proc = new ProcFile(missing, false, (text, length) -> ++parses[0], UNKNOWN)) {
            assertThat(proc.read()).as("missing").isEqualTo(UNKNOWN);
            Files.writeString(missing, "43", StandardCharsets.US_ASCII);
            assertThat(proc.read()).as("not tried again").isEqualTo(UNKNOWN);
        }
        assertThat(parses[0]).isZero();
    }

    @Test
    void theOpenFileIsReadAgainFromItsStartAndKeptOpenForTheSameThread() throws Exception {
        Path file = this.dir.resolve("stat");
        Files.writeString(file, "42", StandardCharsets.US_ASCII);
        try (ProcFile proc = new ProcFile(file, true, NUMBER, UNKNOWN)) {
            assertThat(proc.read()).isEqualTo(42);

            // Written afresh in place (as the kernel does a /proc file): the next reading sees it.
            Files.writeString(file, "4711", StandardCharsets.US_ASCII);
            assertThat(proc.read()).as("the same file written again").isEqualTo(4711);

            // Replaced by another file: the reading thread still reads its own opening.
            Files.delete(file);
            Files.writeString(file, "7", StandardCharsets.US_ASCII);
            assertThat(proc.read()).as("the opening kept").isEqualTo(4711);

            // Another thread opens the file for itself (/proc/thread-self names the thread that opens it).
            assertThat(readOnAnotherThread(proc)).as("another thread's opening").isEqualTo(7);
        }
    }

    @Test
    void aFileThatIsNotTheReadingThreadsOwnIsSharedByEveryThread() throws Exception {
        Path file = this.dir.resolve("loadavg");
        Files.writeString(file, "42", StandardCharsets.US_ASCII);
        try (ProcFile proc = new ProcFile(file, false, NUMBER, UNKNOWN)) {
            assertThat(proc.read()).isEqualTo(42);
            Files.delete(file);

            assertThat(readOnAnotherThread(proc)).as("the opening kept, read by another thread").isEqualTo(42);
        }
    }

    @Test
    void aTextLongerThanTheFirstBufferIsReadWhole() throws Exception {
        Path file = this.dir.resolve("status");
        String text = "x".repeat(3 * ProcFile.FIRST_CAPACITY) + "\n" + "123";
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        int[] lengths = {0};
        ProcFile.Parser tail = (bytes, length) -> {
            lengths[0] = length;
            return ProcFile.decimalAt(bytes, length, length - 3, false);
        };
        try (ProcFile proc = new ProcFile(file, false, tail, UNKNOWN)) {
            assertThat(proc.read()).isEqualTo(123);
            assertThat(lengths[0]).isEqualTo(text.length());
        }
    }

    @Test
    void aTextLongerThanTheLastBufferIsCut() throws Exception {
        Path file = this.dir.resolve("huge");
        Files.writeString(file, "1".repeat(ProcFile.MAX_CAPACITY + 10), StandardCharsets.US_ASCII);
        try (ProcFile proc = new ProcFile(file, false, (bytes, length) -> length, UNKNOWN)) {
            assertThat(proc.read()).isEqualTo(ProcFile.MAX_CAPACITY);
        }
    }

    @Test
    void onceClosedNothingIsReadAndTheFileIsNotOpenedAgain() throws Exception {
        Path file = this.dir.resolve("stat");
        Files.writeString(file, "42", StandardCharsets.US_ASCII);
        ProcFile proc = new ProcFile(file, true, NUMBER, UNKNOWN);
        assertThat(proc.read()).isEqualTo(42);

        proc.close();

        assertThat(proc.read()).as("closed").isEqualTo(UNKNOWN);
        assertThat(readOnAnotherThread(proc)).as("closed, for another thread too").isEqualTo(UNKNOWN);
    }

    @Test
    void aNumberEndsWhereItsTextEnds() {
        byte[] text = "12 345\n6789".getBytes(StandardCharsets.US_ASCII);

        assertThat(ProcFile.decimalAt(text, text.length, 0, true)).isEqualTo(12);
        assertThat(ProcFile.decimalAt(text, text.length, 0, false)).as("a space does not end it").isEqualTo(-1);
        assertThat(ProcFile.decimalAt(text, text.length, 3, false)).isEqualTo(345);
        assertThat(ProcFile.decimalAt(text, 9, 7, false)).as("cut at the length").isEqualTo(67);
        assertThat(ProcFile.decimalAt(text, text.length, 2, true)).as("no digit").isEqualTo(-1);
    }

    /** A reading made on a new platform thread. */
    private static long readOnAnotherThread(ProcFile proc) throws InterruptedException {
        AtomicLong reading = new AtomicLong();
        Thread.ofPlatform().start(() -> reading.set(proc.read())).join();
        return reading.get();
    }
}
