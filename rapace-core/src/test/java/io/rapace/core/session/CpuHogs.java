package io.rapace.core.session;

import java.io.IOException;

/**
 * A child process of {@link InlineDispatchTest}: {@code args[0]} threads, all on the first CPU, that spin until its
 * standard input ends (the test closes it, or dies), so that the test's thread, put on that CPU too, waits for it. In another JVM, so that the
 * spinning threads do not take part in the test JVM's safepoints: eight spinning threads of its own made every stop
 * of that JVM wait until each had run to its next safepoint poll, milliseconds on two cores.
 */
public final class CpuHogs {

    private CpuHogs() {
    }

    /**
     * Starts the spinning threads, prints {@code spinning} and exits when standard input ends.
     *
     * @param args the number of threads
     * @throws IOException never in practice (standard input)
     */
    public static void main(String[] args) throws IOException {
        int threads = Integer.parseInt(args[0]);
        for (int i = 0; i < threads; i++) {
            Thread.ofPlatform().daemon().start(() -> {
                CpuAffinity.pinToFirstCpu();
                while (true) {
                    Thread.onSpinWait();
                }
            });
        }
        System.out.println("spinning");
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the end of input
        }
        System.exit(0);
    }
}
