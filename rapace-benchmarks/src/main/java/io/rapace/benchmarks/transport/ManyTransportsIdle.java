package io.rapace.benchmarks.transport;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.rapace.benchmarks.report.BenchResult;
import io.rapace.benchmarks.report.ThreadTimes;
import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;

/**
 * What idle transports cost a process that holds many of them, as a host with many plugins does: {@code --pairs}
 * transport pairs (both sides in this JVM, so twice as many heartbeats) with nothing sent, idle for {@code --seconds}
 * after two seconds to settle. No session, so no receive loop: what is left is the heartbeats and the JVM's own
 * housekeeping. Prints the process's CPU over the idle period as {@code idle_cpu_pct}, and a human line with the
 * heartbeat threads' CPU and wake-ups (from {@code /proc/self/task/<tid>/schedstat}, Linux).
 */
public final class ManyTransportsIdle {

    private ManyTransportsIdle() {
    }

    /** {@code [--pairs=N] [--seconds=S] [--label=NAME]}. */
    public static void main(String[] args) throws IOException, InterruptedException {
        int pairs = Integer.parseInt(BenchResult.option(args, "pairs", "8"));
        double seconds = Double.parseDouble(BenchResult.option(args, "seconds", "10"));
        String label = BenchResult.option(args, "label", "many-transports-idle");
        if (pairs <= 0 || seconds <= 0) {
            throw new IllegalArgumentException("--pairs and --seconds must be positive");
        }
        Path dir = Files.createTempDirectory("rapace-many-idle");
        List<ShmTransport> transports = new ArrayList<>();
        try {
            for (int i = 0; i < pairs; i++) {
                Path segment = dir.resolve("pair-" + i + ".shm");
                transports.add(ShmTransport.create(segment, ShmConfig.REFERENCE_DEFAULT, ShmOptions.defaults()));
                transports.add(ShmTransport.open(segment, ShmOptions.defaults()));
            }
            Thread.sleep(2_000);
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long[] beats0 = heartbeatThreads();
            long cpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            Thread.sleep((long) (seconds * 1_000));
            long wall = System.nanoTime() - wall0;
            long cpu = os.getProcessCpuTime() - cpu0;
            long[] beats1 = heartbeatThreads();
            double wallSeconds = wall / 1e9;
            System.out.printf("%d transports: process CPU %.3f %% of a core; %d heartbeat thread(s): %.3f %%, %.1f wake-ups/s%n",
                    2 * pairs, 100.0 * cpu / wall, beats1[0], (beats1[1] - beats0[1]) / 1e7 / wallSeconds,
                    (beats1[2] - beats0[2]) / wallSeconds);
            BenchResult.named(label).idleCpuPercent(100.0 * cpu / wall).print();
        }
        finally {
            for (ShmTransport transport : transports) {
                transport.close();
            }
            for (int i = 0; i < transports.size(); i += 2) {
                transports.get(i).removeSegmentFile();
            }
            Files.deleteIfExists(dir);
        }
    }

    /** Heartbeat threads now: their count, their CPU (ns) and their context switches, summed. */
    private static long[] heartbeatThreads() throws IOException {
        long[] sums = new long[3];
        for (ThreadTimes.ThreadTime thread : ThreadTimes.ofSelf()) {
            if (thread.name().startsWith("rapace-shm-hear")) {
                sums[0]++;
                sums[1] += thread.cpuNanos();
                sums[2] += thread.switches();
            }
        }
        return sums;
    }
}
