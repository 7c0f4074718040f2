package io.rapace.core.runtime;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.LongFunction;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Runs an action when a process exits: a child's on a daemon thread of its own, an ancestor's on the thread that
 * watches it. Not {@code onExit()}: the JDK completes that future on the common fork-join pool, which has one thread
 * on a two-core machine, so any blocking task there would delay the verdict indefinitely.
 */
final class ExitWatch {

    /** The logger, made at this class's first log line: a process that logs nothing never sets up the JDK's logging. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(ExitWatch.class.getName());
    }

    /** How often an ancestor process is looked at: it cannot be waited for, only polled. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    /** The usual sleep on an ancestor's pidfd before the other conditions are looked at again. */
    static final int PIDFD_LOOK_MILLIS = 1000;

    private ExitWatch() {
    }

    /** {@code action} runs once {@code child} (a process this JVM started) has exited. */
    static void ofChild(Process child, String threadName, Runnable action) {
        Thread.ofPlatform().daemon().name(threadName).start(() -> {
            boolean waited = false;
            while (!waited) {
                try {
                    child.waitFor();
                    waited = true;
                }
                catch (InterruptedException ex) {
                    // daemon watch: nobody interrupts it on purpose; keep waiting
                }
            }
            action.run();
        });
    }

    /**
     * Watches {@code ancestor} on the calling thread, until {@code action} ran or {@code done} said so: {@code action}
     * runs once {@code ancestor} has exited, with the reason; when it {@code wasParent} (our parent when we looked
     * first), also once this process has another parent (the ancestor may linger as a zombie); and once
     * {@code verdict}, asked at each look, gives a reason (non-null). The watch ends without running {@code action}
     * once {@code done} says so. On Linux the thread sleeps on a pidfd of the ancestor and sees its exit at once,
     * looking at the rest after each sleep, which lasts what {@code lookMillis} says when it begins (from its second
     * look, 250 ms after the start: the pidfd's native linking stays out of start-up); elsewhere it looks at
     * everything every 250 ms.
     */
    static void watchAncestor(ProcessHandle ancestor, boolean wasParent, Supplier<@Nullable String> verdict,
            BooleanSupplier done, Consumer<String> action, IntSupplier lookMillis) {
        watchAncestor(ancestor, wasParent, verdict, done, action, lookMillis, PidfdExitWait::open);
    }

    /**
     * {@link #watchAncestor(ProcessHandle, boolean, Supplier, BooleanSupplier, Consumer, IntSupplier)} with the exit
     * signal's source (tests).
     */
    static void watchAncestor(ProcessHandle ancestor, boolean wasParent, Supplier<@Nullable String> verdict,
            BooleanSupplier done, Consumer<String> action, IntSupplier lookMillis,
            LongFunction<Optional<? extends ExitSignal>> signals) {
        if (done.getAsBoolean()) {
            return;
        }
        // The first look polls, and the pidfd comes after its park: linking the native calls costs tens of ms
        // of CPU in a cold JVM, which would be taken from the plugin's start-up (docs/startup.md).
        String reason = pollOnce(ancestor, wasParent, verdict);
        if (reason == null) {
            reason = watchUntilExit(ancestor, wasParent, verdict, done, signals, lookMillis);
        }
        if (reason != null) {
            action.accept(reason);
        }
    }

    /**
     * The looks after the first: on the ancestor's exit signal (pidfd) where there is one; null once {@code done}. A
     * signal that says the ancestor exited while {@code /proc} shows it running is not believed: the watch warns and
     * polls from then on. That verdict would end the session of a host that still serves it.
     */
    private static @Nullable String watchUntilExit(ProcessHandle ancestor, boolean wasParent,
            Supplier<@Nullable String> verdict, BooleanSupplier done, LongFunction<Optional<? extends ExitSignal>> signals,
            IntSupplier lookMillis) {
        ExitSignal signal = signals.apply(ancestor.pid()).orElse(null);
        try {
            String reason = null;
            while (reason == null) {
                if (done.getAsBoolean()) {
                    return null;
                }
                if (signal == null) {
                    reason = pollOnce(ancestor, wasParent, verdict);
                }
                else if (!signal.awaitExit(lookMillis.getAsInt())) {
                    reason = verdict.get();
                }
                else if (stillRuns(ancestor)) {
                    Log.LOG.log(System.Logger.Level.WARNING, "the exit signal of process {0} said it exited, but it still"
                            + " runs ({1}): watching it by polling instead", Long.toString(ancestor.pid()),
                            ProcessStates.of(ancestor.pid()));
                    signal.close();
                    signal = null;
                }
                else {
                    reason = exited(ancestor);
                }
            }
            return reason;
        }
        finally {
            if (signal != null) {
                signal.close();
            }
        }
    }

    /** Whether {@code process} still runs: alive (same start time), and {@code /proc} shows no exit (no zombie). */
    private static boolean stillRuns(ProcessHandle process) {
        return process.isAlive() && !ProcessStates.hasExited(ProcessStates.of(process.pid()));
    }

    /** One look without a pidfd, then a 250 ms park: a lingering zombie shows as our new parent. */
    private static @Nullable String pollOnce(ProcessHandle ancestor, boolean wasParent,
            Supplier<@Nullable String> verdict) {
        if (!ancestor.isAlive()
                || (wasParent && !ProcessHandle.current().parent().map(ancestor::equals).orElse(false))) {
            return exited(ancestor);
        }
        String reason = verdict.get();
        if (reason == null) {
            LockSupport.parkNanos(POLL_NANOS);
        }
        return reason;
    }

    private static String exited(ProcessHandle ancestor) {
        return exited(ancestor.pid());
    }

    /** The reason given when the host process {@code pid} exited. */
    static String exited(long pid) {
        return "the host process " + pid + " exited";
    }
}
