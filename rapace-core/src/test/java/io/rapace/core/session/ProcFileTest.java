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

    @TempDir
    Path dir;

    @Test
    void readsTheNumberItsParserFindsAndOnceTheFileCannotBeOpenedNeverTriesAgain() throws Exception {
        Path file = this.dir.resolve("stat");
        Files.writeString(file, "42", StandardCharsets.US_ASCII);
        try (ProcFile proc = new ProcFile(file, false)) {
            assertThat(proc.read(NUMBER, -1)).isEqualTo(42);
        }

        Path missing = this.dir.resolve("missing");
        int[] parses = {0};
        try (ProcFile proc = new ProcFile(missing, false)) {
            assertThat(proc.read((text, length) -> ++parses[0], -1)).as("missing").isEqualTo(-1);
            Files.writeString(missing, "43", StandardCharsets.US_ASCII);
            assertThat(proc.read((text, length) -> ++parses[0], -1)).as("not tried again").isEqualTo(-1);
        }
        assertThat(parses[0]).isZero();
    }

    @Test
    void theOpenFileIsReadAgainFromItsStartAndKeptOpenForTheSameThread() throws Exception {
        Path file = this.dir.resolve("stat");
        Files.writeString(file, "42", StandardCharsets.US_ASCII);
        try (ProcFile proc = new ProcFile(file, true)) {
            assertThat(proc.read(NUMBER, -1)).isEqualTo(42);

            // Written afresh in place (as the kernel does a /proc file): the next reading sees it.
            Files.writeString(file, "4711", StandardCharsets.US_ASCII);
            assertThat(proc.read(NUMBER, -1)).as("the same file written again").isEqualTo(4711);

            // Replaced by another file: the reading thread still reads its own opening.
            Files.delete(file);
            Files.writeString(file, "7", StandardCharsets.US_ASCII);
            assertThat(proc.read(NUMBER, -1)).as("the opening kept").isEqualTo(4711);

            // Another thread opens the file for itself (/proc/thread-self names the thread that opens it).
            AtomicLong onOther = new AtomicLong();
            Thread other = Thread.ofPlatform().start(() -> onOther.set(proc.read(NUMBER, -1)));
            other.join();
            assertThat(onOther.get()).as("another thread's opening").isEqualTo(7);
        }
    }

    @Test
    void aFileThatIsNotTheReadingThreadsOwnIsSharedByEveryThread() throws Exception {
        Path file = this.dir.resolve("loadavg");
        Files.writeString(file, "42", StandardCharsets.US_ASCII);
        try (ProcFile proc = new ProcFile(file, false)) {
            assertThat(proc.read(NUMBER, -1)).isEqualTo(42);
            Files.delete(file);

            AtomicLong onOther = new AtomicLong();
            Thread other = Thread.ofPlatform().start(() -> onOther.set(proc.read(NUMBER, -1)));
            other.join();
            assertThat(onOther.get()).as("the opening kept, read by another thread").isEqualTo(42);
        }
    }

    @Test
    void aTextLongerThanTheFirstBufferIsReadWhole() throws Exception {
        Path file = this.dir.resolve("status");
        String text = "x".repeat(3 * ProcFile.FIRST_CAPACITY) + "\n" + "123";
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        try (ProcFile proc = new ProcFile(file, false)) {
            long tail = proc.read((bytes, length) -> {
                assertThat(length).isEqualTo(text.length());
                return ProcFile.decimalAt(bytes, length, length - 3, false);
            }, -1);

            assertThat(tail).isEqualTo(123);
        }
    }

    @Test
    void aTextLongerThanTheLastBufferIsCut() throws Exception {
        Path file = this.dir.resolve("huge");
        Files.writeString(file, "1".repeat(ProcFile.MAX_CAPACITY + 10), StandardCharsets.US_ASCII);
        try (ProcFile proc = new ProcFile(file, false)) {
            assertThat(proc.read((bytes, length) -> length, -1)).isEqualTo(ProcFile.MAX_CAPACITY);
        }
    }

    @Test
    void onceClosedNothingIsReadAndTheFileIsNotOpenedAgain() throws Exception {
        Path file = this.dir.resolve("stat");
        Files.writeString(file, "42", StandardCharsets.US_ASCII);
        ProcFile proc = new ProcFile(file, true);
        assertThat(proc.read(NUMBER, -1)).isEqualTo(42);

        proc.close();

        assertThat(proc.read(NUMBER, -1)).as("closed").isEqualTo(-1);
        AtomicLong onOther = new AtomicLong();
        Thread other = Thread.ofPlatform().start(() -> onOther.set(proc.read(NUMBER, -1)));
        other.join();
        assertThat(onOther.get()).as("closed, for another thread too").isEqualTo(-1);
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
}
