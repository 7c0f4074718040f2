package io.rapace.benchmarks.report;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The threads of a process as Linux counts them ({@code /proc/<pid>/task/<tid>/schedstat} and {@code comm}): each
 * thread's on-CPU time and how often it was switched in, for the harnesses that say where idle CPU goes.
 */
public final class ThreadTimes {

    /**
     * One thread at the time it was read.
     *
     * @param tid its id
     * @param name its name as the kernel keeps it (the first 15 characters)
     * @param cpuNanos its time on a CPU so far
     * @param switches how often it was switched in so far: about its wake-ups, when idle
     */
    public record ThreadTime(long tid, String name, long cpuNanos, long switches) {
    }

    private ThreadTimes() {
    }

    /** Every live thread of this process. */
    public static List<ThreadTime> ofSelf() throws IOException {
        return read(Path.of("/proc/self/task"));
    }

    /** Every live thread of process {@code pid}. */
    public static List<ThreadTime> of(long pid) throws IOException {
        return read(Path.of("/proc", Long.toString(pid), "task"));
    }

    private static List<ThreadTime> read(Path tasks) throws IOException {
        List<ThreadTime> threads = new ArrayList<>();
        try (DirectoryStream<Path> each = Files.newDirectoryStream(tasks)) {
            for (Path task : each) {
                try {
                    String[] stat = Files.readString(task.resolve("schedstat")).trim().split(" ");
                    threads.add(new ThreadTime(Long.parseLong(task.getFileName().toString()),
                            Files.readString(task.resolve("comm")).trim(), Long.parseLong(stat[0]), Long.parseLong(stat[2])));
                }
                catch (IOException threadEnded) {
                    // the thread exited meanwhile
                }
            }
        }
        return threads;
    }
}
