package io.rapace.core.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.rapace.core.session.RpcSession;
import io.rapace.transport.shm.PeerState;
import io.rapace.transport.shm.ShmTransport;
import org.jspecify.annotations.Nullable;

/**
 * A plugin's watch on its host process: the host is the nearest ancestor of this process (its parent, or,
 * behind a wrapper script that did not {@code exec}, a grandparent) that maps the segment file, as
 * {@code /proc/PID/maps} shows. When that process exits, the session is told at once
 * ({@link RpcSession#peerGone}) instead of waiting for the heartbeat. Where the host cannot be found (not
 * Linux, no ancestor maps the segment: a container init, a host that did not launch this plugin), nothing
 * is watched and the transport's {@code peerGoneAfter} fallback decides.
 */
public final class HostProcessWatch {

    /** The logger, made at this class's first log line: a process that logs nothing never sets up the JDK's logging. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(HostProcessWatch.class.getName());
    }

    /** The longest wait between two looks at a host whose heartbeat moves. */
    private static final long MAX_LOOK_MILLIS = 5_000;

    /** How many ancestors are looked at: the parent and up to three wrappers above it. */
    private static final int MAX_ANCESTORS = 4;

    /** How the JDK turns file names into the bytes the kernel shows (UTF-8 unless the locale says otherwise). */
    private static final Charset FILE_NAMES = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"),
            StandardCharsets.UTF_8);

    /**
     * How often a plugin's deferred watch looks whether the plugin has answered its first request
     * ({@link #watchAfterStartUp}).
     */
    private static final long START_UP_LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** The longest a plugin's deferred watch waits for the first answer before it watches anyway. */
    private static final long START_UP_MAX_NANOS = TimeUnit.SECONDS.toNanos(2);

    /**
     * This process's parent when it was first asked for (before the segment was opened); in a holder, so that a
     * plugin that only notes its parent from {@code /proc} ({@link #lookOut}) makes no {@link ProcessHandle} during its
     * start-up.
     */
    private static final class FirstParent {
        static final Optional<ProcessHandle> VALUE = ProcessHandle.current().parent();
    }

    private HostProcessWatch() {
    }

    /**
     * Finds the host process of {@code session}'s segment and, when found, ends the session as soon as that
     * process exits (and tells the transport that its peer's process is watched).
     *
     * @return the watched host process, or empty when it cannot be known
     */
    public static Optional<ProcessHandle> start(RpcSession session) {
        Optional<ProcessHandle> host = find(session.transport().path());
        host.ifPresent(process -> watch(session, process));
        return host;
    }

    /**
     * The host process of the segment at {@code segment}: the nearest ancestor of this process that maps it.
     * Best called before opening the segment, so that a host dying meanwhile is still recognised.
     */
    public static Optional<ProcessHandle> find(Path segment) {
        Optional<ProcessHandle> host = find(segment, ProcessHandle.current());
        if (host.isEmpty()) {
            Log.LOG.log(System.Logger.Level.DEBUG, "the host process of {0} is not an ancestor of this process: it is"
                    + " declared gone after its heartbeat stood still for peerGoneAfter", segment);
        }
        return host;
    }

    /**
     * What a plain-Java plugin notes of its host before it opens {@code segment} (a host that dies during the open is
     * still known as the host), for {@link #watchAfterStartUp}: usually that its parent maps the segment, read from
     * {@code /proc} alone; else the nearest ancestor that maps it ({@link #find(Path)}), or that none does yet.
     */
    static HostLookout lookOut(Path segment) {
        Optional<ParentProcess> parent = ParentProcess.ofThisProcess();
        Optional<String> mapped = realPath(segment);
        if (parent.isPresent() && parent.get().pid() > 1 && mapped.isPresent() && maps(parent.get().pid(), mapped.get())) {
            return new HostLookout.Parent(parent.get());
        }
        Optional<ProcessHandle> host = find(segment);
        return host.isPresent() ? new HostLookout.Ancestor(host.get()) : new HostLookout.NotYet();
    }

    /**
     * Watches the host that {@code lookout} noted, as {@link #watch} does, once {@code session} has answered its first
     * request (or after 2 s, or not at all once the session ended): looking at processes and starting the watch cost a
     * cold JVM about 25 ms of CPU (its first {@link ProcessHandle}, the watch's lambdas and thread), which a plugin
     * whose host spins on one of two cores would otherwise take from its first answer (docs/startup.md). A parent that
     * exited meanwhile ends the session as {@link #watch} would; a host not found before the open is looked for again.
     */
    static void watchAfterStartUp(RpcSession session, HostLookout lookout) {
        // Renamed after its host (threadName) once it watches it.
        Thread.ofPlatform().daemon().name("rapace-host-lookout").start(new AfterStartUp(session, lookout));
    }

    /**
     * The deferred watch of {@link #watchAfterStartUp}, on its own thread; also its wait's condition (the plugin has
     * sent a frame, its first answer, or the session ended). A class, not lambdas: nothing to link during start-up.
     */
    private record AfterStartUp(RpcSession session, HostLookout lookout) implements Runnable, BooleanSupplier {

        @Override
        public boolean getAsBoolean() {
            return this.session.transport().stats().framesSent() > 0 || this.session.closeFuture().isDone();
        }

        @Override
        public void run() {
            awaitStartUp(this, START_UP_MAX_NANOS, START_UP_LOOK_NANOS);
            if (this.session.closeFuture().isDone()) {
                return;
            }
            switch (this.lookout) {
                case HostLookout.Parent(ParentProcess parent) -> {
                    Optional<ProcessHandle> host = parent.handleWhileRunning();
                    if (host.isEmpty()) {
                        this.session.peerGone(ExitWatch.exited(parent.pid()));
                    }
                    else {
                        watchHere(this.session, host.get(), true);
                    }
                }
                case HostLookout.Ancestor(ProcessHandle host) -> watchHere(this.session, host, wasFirstParent(host));
                case HostLookout.NotYet() -> find(this.session.transport().path())
                        .ifPresent(host -> watchHere(this.session, host, wasFirstParent(host)));
            }
        }
    }

    /**
     * Returns once {@code ready} holds, looking every {@code stepNanos}, or after {@code maxNanos} (the deferred
     * watch's wait for the plugin's first answer).
     */
    static void awaitStartUp(BooleanSupplier ready, long maxNanos, long stepNanos) {
        long start = System.nanoTime();
        while (!ready.getAsBoolean() && System.nanoTime() - start < maxNanos) {
            LockSupport.parkNanos(stepNanos);
        }
    }

    /** {@link #watch} on the calling thread, which it renames after the host. */
    private static void watchHere(RpcSession session, ProcessHandle host, boolean wasParent) {
        Thread.currentThread().setName(threadName(host));
        watcher(session, host, wasParent).run();
    }

    /**
     * Tells the session's transport that its peer's process is watched, and returns the watch itself, which ends
     * {@code session} with {@code PEER_DIED} once {@code host} exits ({@link ExitWatch#watchAncestor}).
     */
    private static Runnable watcher(RpcSession session, ProcessHandle host, boolean wasParent) {
        session.transport().peerProcessWatched();
        Optional<String> mapped = realPath(session.transport().path());
        return () -> ExitWatch.watchAncestor(host, wasParent, () -> abandoned(session, host, mapped),
                () -> session.closeFuture().isDone(), session::peerGone, () -> nextLookMillis(session));
    }

    /** Whether {@code host} was this process's parent when it was first asked for. */
    private static boolean wasFirstParent(ProcessHandle host) {
        return FirstParent.VALUE.map(host::equals).orElse(false);
    }

    /** The name of the thread that watches {@code host}: rapace-host-exit-PID. */
    private static String threadName(ProcessHandle host) {
        return "rapace-host-exit-" + host.pid();
    }

    /**
     * Ends {@code session} with {@code PEER_DIED} as soon as {@code host} exits (at once if it already has), and
     * tells the session's transport that its peer's process is watched.
     */
    public static void watch(RpcSession session, ProcessHandle host) {
        Runnable watcher = watcher(session, host, wasFirstParent(host));
        // Not logged: the first log line of a process sets up the JDK's logging (15-30 ms of a cold JVM, on every
        // plugin's start-up); the watch's thread is named after the host process it watches.
        Thread.ofPlatform().daemon().name(threadName(host)).start(watcher);
    }

    /**
     * Why the host no longer serves the segment although its process lives, or null while it does. Asked every
     * 250 ms; looks only while the host is stalled (its heartbeat still): a stalled host that no longer maps the
     * segment closed its side without removing the file; a stalled host that did not promise to close by removal
     * (no CLOSES_BY_REMOVAL bit: the Rust reference, any v1.0 host) whose process runs ended the session as spec §3
     * says. A host whose process is stopped
     * (SIGSTOP, a debugger) is waited for.
     */
    private static @Nullable String abandoned(RpcSession session, ProcessHandle host, Optional<String> mapped) {
        if (mapped.isEmpty() || session.peerState() != PeerState.STALLED) {
            return null;
        }
        if (!maps(host.pid(), mapped.get())) {
            if (session.transport().segmentFileRemoved()) {
                // It closed its side and removed the file: a clean close, which the transport tells apart (its next
                // look at the stalled host, within 100 ms). Answering here too would race it for the verdict.
                return null;
            }
            return "the host process " + host.pid() + " no longer maps the segment (it closed its side and left the"
                    + " file)";
        }
        if (!session.transport().hostClosesByRemoval() && !ProcessStates.isStopped(ProcessStates.of(host.pid()))) {
            return "the host's heartbeat stood still beyond the liveness timeout while its process " + host.pid()
                    + " runs: a host without the CLOSES_BY_REMOVAL bit (a v1.0 host) ends a session that way (spec §3)";
        }
        return null;
    }

    /**
     * How long the watch sleeps on the host's pidfd before it looks at the host again (its exit wakes it at once): the
     * looks only matter once the host is stalled ({@link #abandoned}), so while its heartbeat moves, until it could have
     * stalled; see {@link #nextLookMillis(PeerState, long, Duration)}.
     */
    private static int nextLookMillis(RpcSession session) {
        try {
            ShmTransport transport = session.transport();
            return nextLookMillis(transport.peerState(), transport.peerHeartbeatAgeNanos(),
                    transport.options().livenessTimeout());
        }
        catch (RuntimeException closed) {
            return ExitWatch.PIDFD_LOOK_MILLIS;  // the session ended: the next look ends the watch
        }
    }

    /**
     * The wait before the next look at a host in {@code state}: while it is alive, until its heartbeat, {@code age}
     * old now, could be older than the liveness timeout, 100 ms past it, and at least 1 s, at most 5 s (an idle plugin
     * then looks every 3 s or so with the default 3 s timeout, not every second); otherwise 1 s.
     */
    static int nextLookMillis(@Nullable PeerState state, long heartbeatAgeNanos, Duration livenessTimeout) {
        if (state != PeerState.ALIVE) {
            return ExitWatch.PIDFD_LOOK_MILLIS;
        }
        long untilStalled = livenessTimeout.toMillis() - TimeUnit.NANOSECONDS.toMillis(Math.max(0, heartbeatAgeNanos)) + 100;
        return (int) Math.clamp(untilStalled, ExitWatch.PIDFD_LOOK_MILLIS, MAX_LOOK_MILLIS);
    }

    /** The nearest live ancestor of {@code self} (never pid 1) that maps {@code segment}, if any. */
    static Optional<ProcessHandle> find(Path segment, ProcessHandle self) {
        Optional<String> mapped = realPath(segment);
        if (mapped.isEmpty()) {
            return Optional.empty();
        }
        Optional<ProcessHandle> ancestor = self.equals(ProcessHandle.current()) ? FirstParent.VALUE : self.parent();
        for (int depth = 0; depth < MAX_ANCESTORS && ancestor.isPresent(); depth++) {
            ProcessHandle candidate = ancestor.get();
            if (candidate.pid() <= 1 || !candidate.isAlive()) {
                return Optional.empty();
            }
            if (maps(candidate.pid(), mapped.get())) {
                return Optional.of(candidate);
            }
            ancestor = candidate.parent();
        }
        return Optional.empty();
    }

    private static Optional<String> realPath(Path segment) {
        try {
            return Optional.of(segment.toRealPath().toString());
        }
        catch (IOException ex) {
            return Optional.empty();
        }
    }

    /**
     * Whether {@code /proc/PID/maps} lists {@code file}; false where it cannot be read. Read as bytes (ISO-8859-1 gives
     * each byte a char of its own): the paths of the host's other mappings need not be valid in any charset, and a
     * line that is not must not hide the segment's.
     */
    private static boolean maps(long pid, String file) {
        Path maps = Path.of("/proc", Long.toString(pid), "maps");
        String mapped = " " + new String(file.getBytes(FILE_NAMES), StandardCharsets.ISO_8859_1);
        String deleted = mapped + " (deleted)";
        try (BufferedReader lines = Files.newBufferedReader(maps, StandardCharsets.ISO_8859_1)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.endsWith(mapped) || line.endsWith(deleted)) {
                    return true;
                }
            }
            return false;
        }
        catch (IOException | SecurityException ex) {
            return false;
        }
    }
}
