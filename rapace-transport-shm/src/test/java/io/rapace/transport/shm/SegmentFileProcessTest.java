package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules for the segment file across processes (docs/segment-files.md): child JVMs hold segments, get
 * killed with SIGKILL, and the locks they held vanish with them.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SegmentFileProcessTest {

    private static final ShmConfig CONFIG = new ShmConfig(16, 1024, 4);
    private static final long GENEROUS_MILLIS = 20_000;

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Process child : children) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSecondPluginInAnotherProcessIsRefusedAtOnce() throws Exception {
        Path path = dir.resolve("busy.shm");
        try (ShmTransport _ = ShmTransport.create(path, CONFIG, ShmOptions.defaults());
                ShmTransport _ = ShmTransport.open(path, ShmOptions.defaults())) {
            Child second = start("plugin", path);
            assertThat(second.line()).startsWith("REFUSED").contains("IN_USE")
                    .contains("segment " + path + " is already used by another plugin");
            assertThat(second.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(second.process.exitValue()).isEqualTo(3);
        }
    }

    @Test
    void aPluginInThisJvmIsRefusedWhileAPluginInAnotherProcessHoldsTheSegment() throws Exception {
        Path path = dir.resolve("busy-elsewhere.shm");
        try (ShmTransport _ = ShmTransport.create(path, CONFIG, ShmOptions.defaults())) {
            Child first = start("plugin", path);
            assertThat(first.line()).isEqualTo("READY");

            assertThatThrownBy(() -> ShmTransport.open(path, ShmOptions.defaults()).close())
                    .isInstanceOf(ShmOpenException.class)
                    .hasMessageContaining("segment " + path + " is already used by another plugin");

            first.process.destroyForcibly().waitFor();
            try (ShmTransport next = ShmTransport.open(path, ShmOptions.defaults())) {
                assertThat(next.config()).isEqualTo(CONFIG);
            }
        }
    }

    @Test
    void theLocksOfThisJvmSurviveOtherHoldsOnTheFileInThisJvmClosing() throws Exception {
        Path path = dir.resolve("same-jvm.shm");
        try (ShmTransport _ = ShmTransport.create(path, CONFIG, ShmOptions.defaults())) {
            // POSIX drops all of a process's locks on a file when any of its descriptors closes: a plugin of this
            // JVM that comes and goes, and a refused one, must not take the host's and the plugin's locks along.
            ShmTransport.open(path, ShmOptions.defaults()).close();
            try (ShmTransport _ = ShmTransport.open(path, ShmOptions.defaults())) {
                assertThatThrownBy(() -> ShmTransport.open(path, ShmOptions.defaults()).close())
                        .isInstanceOf(ShmOpenException.class);

                Child otherHost = start("host", path);
                assertThat(otherHost.line()).startsWith("REFUSED").contains("in use by a live host");
                Child otherPlugin = start("plugin", path);
                assertThat(otherPlugin.line()).startsWith("REFUSED").contains("already used by another plugin");
            }
        }
    }

    @Test
    void aHostKilledWithSigkillLeavesASegmentTheNextHostReplacesWithANewFile() throws Exception {
        Path path = dir.resolve("killed.shm");
        Child host = start("host", path);
        assertThat(host.line()).isEqualTo("READY");
        // A second name for the old file keeps its inode alive, as a plugin still mapping it would.
        Path witness = Files.createLink(dir.resolve("witness"), path);
        Child refused = start("host", path);
        assertThat(refused.line()).as("while the host lives").startsWith("REFUSED").contains("in use by a live host");

        host.process.destroyForcibly().waitFor();
        byte[] old = Files.readAllBytes(witness);

        try (ShmTransport _ = ShmTransport.create(path, new ShmConfig(8, 512, 2), ShmOptions.defaults())) {
            assertThat(inode(path)).as("a new file").isNotEqualTo(inode(witness));
            assertThat(Files.readAllBytes(witness)).as("the old file, neither truncated nor rewritten").isEqualTo(old);
        }
    }

    @Test
    void theStaleSegmentOfAKilledHostIsRemovedAndLiveOnesAreKept() throws Exception {
        Path stale = dir.resolve("rapace-stale.shm");
        Path live = dir.resolve("rapace-live.shm");
        Path other = Files.writeString(dir.resolve("other-stale.shm"), "not our name");
        Child dead = start("host", stale);
        Child alive = start("host", live);
        assertThat(dead.line()).isEqualTo("READY");
        assertThat(alive.line()).isEqualTo("READY");
        dead.process.destroyForcibly().waitFor();

        long deadline = System.currentTimeMillis() + GENEROUS_MILLIS;
        List<Path> removed = List.of();
        while (removed.isEmpty() && System.currentTimeMillis() < deadline) {
            // Kept for 3 s after its last heartbeat, then removed by the next scan.
            removed = ShmTransport.removeStaleSegments(dir, "rapace-*.shm");
            Thread.sleep(200);
        }

        assertThat(removed).containsExactly(stale);
        assertThat(stale).doesNotExist();
        assertThat(live).exists();
        assertThat(other).exists();
        assertThat(alive.process.isAlive()).isTrue();
    }

    @Test
    void aSegmentWhoseHostIsGoneIsRemovedByItsPluginButNotOneWhoseHostLives() throws Exception {
        Path path = dir.resolve("orphan.shm");
        Child host = start("host", path);
        assertThat(host.line()).isEqualTo("READY");
        try (ShmTransport plugin = ShmTransport.open(path, ShmOptions.defaults())) {
            assertThat(plugin.removeSegmentFile()).as("the host still lives").isFalse();
            assertThat(path).exists();

            host.process.destroyForcibly().waitFor();

            assertThat(plugin.removeSegmentFile()).isTrue();
            assertThat(path).doesNotExist();
        }
    }

    private Child start(String role, Path path) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = List.of(java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                SegmentHolderMain.class.getName(), role, path.toString());
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        children.add(process);
        return new Child(process);
    }

    private static Object inode(Path path) throws IOException {
        return Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }

    /** A child JVM and its standard output. */
    private static final class Child {

        private final Process process;
        private final BufferedReader out;

        private Child(Process process) {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        /** The next line it prints (READY or REFUSED ...), or null when it exited first. */
        String line() throws IOException {
            return out.readLine();
        }
    }
}
