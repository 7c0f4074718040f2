package io.rapace.core.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.rapace.transport.shm.PeerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The rhythm of a plugin's watch on its host ({@link HostProcessWatch#nextLookMillis(PeerState, long, Duration)}):
 * while the host's heartbeat moves, the watch sleeps until the host could have stalled (the looks only matter then),
 * between 1 s and 5 s; once the host is stalled, or not known to be alive, it looks every second. And how the host is
 * found ({@link HostProcessWatch#find(Path, ProcessHandle)}): the ancestor whose {@code /proc/PID/maps} lists the
 * segment, whatever else it maps.
 */
class HostProcessWatchTest {

    static final Duration TIMEOUT = Duration.ofSeconds(3);

    @Test
    void aHostWhoseHeartbeatMovesIsLookedAtWhenItCouldHaveStalled() {
        assertThat(HostProcessWatch.nextLookMillis(PeerState.ALIVE, millis(400), TIMEOUT)).isEqualTo(2_700);
        assertThat(HostProcessWatch.nextLookMillis(PeerState.ALIVE, 0, TIMEOUT)).isEqualTo(3_100);
    }

    @Test
    void theWaitIsAtLeastASecondAndAtMostFive() {
        assertThat(HostProcessWatch.nextLookMillis(PeerState.ALIVE, millis(2_950), TIMEOUT)).isEqualTo(1_000);
        assertThat(HostProcessWatch.nextLookMillis(PeerState.ALIVE, 0, Duration.ofSeconds(30))).isEqualTo(5_000);
    }

    @Test
    void aHostThatIsNotAliveIsLookedAtEverySecond() {
        assertThat(HostProcessWatch.nextLookMillis(PeerState.STALLED, millis(4_000), TIMEOUT)).isEqualTo(1_000);
        assertThat(HostProcessWatch.nextLookMillis(PeerState.NOT_STARTED, -1, TIMEOUT)).isEqualTo(1_000);
        assertThat(HostProcessWatch.nextLookMillis(null, 0, TIMEOUT)).isEqualTo(1_000);
    }

    @Test
    void aHostWhoseOtherMappingsAreNotValidUtf8IsFound(@TempDir Path dir) throws Exception {
        // A stand-in host: maps a file whose name is not valid UTF-8, the segment, and that file again (so that one of
        // its lines comes before the segment's in /proc/PID/maps), then starts a child that stands in for the plugin.
        Path segment = Files.write(dir.resolve("segment.shm"), new byte[4096]);
        String script = """
                import mmap, os, subprocess, sys
                odd = os.path.join(os.fsencode(sys.argv[1]), b'odd-\\xff-name')
                with open(odd, 'wb') as f:
                    f.write(bytes(4096))
                maps = []
                for path in (odd, sys.argv[2], odd):
                    with open(path, 'r+b') as f:
                        maps.append(mmap.mmap(f.fileno(), 4096))
                child = subprocess.Popen(['sleep', '600'])
                print(child.pid, flush=True)
                sys.stdin.read()
                child.kill()
                """;
        Process host;
        try {
            host = new ProcessBuilder(List.of("python3", "-c", script, dir.toString(), segment.toString()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        }
        catch (IOException ex) {
            assumeTrue(false, "no python3 to map the files: " + ex.getMessage());
            return;
        }
        try (BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line).as("the stand-in host's child").isNotNull();
            ProcessHandle plugin = ProcessHandle.of(Long.parseLong(line.strip())).orElseThrow();
            String maps = Files.readString(Path.of("/proc", Long.toString(host.pid()), "maps"), StandardCharsets.ISO_8859_1);
            assertThat(maps.indexOf("odd-\u00ff-name")).as("a mapping that is not UTF-8, before the segment's")
                    .isNotNegative().isLessThan(maps.indexOf(segment.toRealPath().toString()));

            assertThat(HostProcessWatch.find(segment, plugin)).contains(host.toHandle());
        }
        finally {
            host.getOutputStream().close();
            assertThat(host.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aPluginsDeferredWatchWaitsForItsFirstAnswerAndNoLonger() {
        AtomicInteger looks = new AtomicInteger();
        long start = System.nanoTime();

        HostProcessWatch.awaitStartUp(() -> looks.incrementAndGet() >= 3, millis(60_000), millis(20));

        assertThat(looks).hasValue(3);
        assertThat(System.nanoTime() - start).as("two steps between three looks").isGreaterThanOrEqualTo(millis(40));
    }

    @Test
    void aPluginsDeferredWatchStartsAfterItsLongestWaitWithoutAnswer() {
        long start = System.nanoTime();

        HostProcessWatch.awaitStartUp(() -> false, millis(150), millis(20));

        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(millis(150));
    }

    private static long millis(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
