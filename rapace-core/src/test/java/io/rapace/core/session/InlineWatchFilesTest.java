package io.rapace.core.session;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The files a watched inline run is weighed with ({@link RunCounters.Reader}: the ring thread's {@code schedstat} and
 * {@code status}) stay open while the session runs, so that a reading allocates nothing, and are closed when it ends:
 * between two real sessions over one mapped file, with the process's open descriptors read from {@code /proc/self/fd}.
 */
@EnabledOnOs(OS.LINUX)
class InlineWatchFilesTest {

    static final int METHOD = 307;

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** A request that makes the handler spin longer than {@link InlineHandlers#WARN_MILLIS}: its handler is watched. */
    static final byte[] SLOW = {1};

    static final byte[] QUICK = {0};

    /** What an open thread file of this process looks like (the target of its descriptor's link). */
    static final Pattern THREAD_FILE = Pattern.compile("/proc/\\d+/task/\\d+/(status|schedstat)");

    @TempDir
    Path dir;

    @Test
    void theWatchsFilesStayOpenWhileTheSessionRunsAndCloseWithIt() throws IOException {
        Set<String> before = openThreadFiles();
        Set<String> watchFiles;
        try (SessionPair pair = new SessionPair(this.dir.resolve("watch.shm"))) {
            pair.pluginHandlers.put(METHOD, InlineSessionTest.nonBlocking(call -> {
                if (call.requestPayload()[0] == SLOW[0]) {
                    InlineSessionTest.computeFor(TimeUnit.MILLISECONDS.toNanos(InlineHandlers.WARN_MILLIS + 1));
                }
                call.respond(QUICK);
            }));
            pair.host.callBlocking(METHOD, SLOW, TIMEOUT);
            // Watched: measured before and after, on the ring's thread.
            pair.host.callBlocking(METHOD, QUICK, TIMEOUT);
            pair.host.callBlocking(METHOD, QUICK, TIMEOUT);

            watchFiles = openThreadFiles();
            watchFiles.removeAll(before);
            assertThat(watchFiles).as("the ring thread's two files, opened once for its readings")
                    .hasSize(2).anyMatch((file) -> file.endsWith("/status")).anyMatch((file) -> file.endsWith("/schedstat"));
        }

        assertThat(openThreadFiles()).as("closed with the session").doesNotContainAnyElementsOf(watchFiles);
    }

    /** The targets of this process's descriptors that are a thread's {@code status} or {@code schedstat}. */
    private static Set<String> openThreadFiles() throws IOException {
        Set<String> files = new HashSet<>();
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path descriptor : descriptors) {
                try {
                    String target = Files.readSymbolicLink(descriptor).toString();
                    if (THREAD_FILE.matcher(target).matches()) {
                        files.add(target);
                    }
                }
                catch (IOException closedMeanwhile) {
                    // the descriptor of the directory listing itself, or one closed since the listing
                }
            }
        }
        return files;
    }
}
