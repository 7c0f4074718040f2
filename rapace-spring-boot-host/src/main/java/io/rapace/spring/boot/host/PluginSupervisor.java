package io.rapace.spring.boot.host;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.runtime.RapaceHost;
import io.rapace.core.runtime.RapaceRuntimeException;
import io.rapace.core.service.ClientOptions;
import io.rapace.core.service.RapaceClients;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs one plugin as a sequence of incarnations, each with a fresh {@link RapaceHost} (new segment, new session,
 * new process), on a supervision thread of its own:
 *
 * <ol>
 * <li>launch, and wait up to the start timeout for the plugin's first heartbeat; a process that exits first or
 * stays silent is a failed start (killed, its exit code and last lines kept);</li>
 * <li>while it runs, calls through {@link #client} go to it; when its process exits (or is killed), the
 * {@code RapaceHost} has already failed its pending calls with {@code PEER_DIED}, and the supervisor closes it
 * (the segment file goes);</li>
 * <li>while it runs, its heartbeat is watched: a plugin whose heartbeat stands still (a stopped process, a GC that
 * does not end, a deadlock of its heartbeat) is left alone for the stall timeout, then killed (SIGKILL) as a failure,
 * the reason kept ("stalled for 30 s");</li>
 * <li>the policy decides whether another incarnation follows; restarts wait an exponential backoff with jitter,
 * and more than {@code maxRestarts} restarts within {@code restartWindow} make the supervisor give up
 * ({@link PluginState#FAILED}, the reason kept).</li>
 * </ol>
 *
 * <p>{@link #stop()} closes the running incarnation through {@link RapaceHost#close()} (SIGTERM, the stop timeout,
 * then SIGKILL; the segment file deleted) and ends the thread: no process and no file is left. Once the JVM shuts
 * down ({@link #applicationShuttingDown()}), nothing is launched any more, and an incarnation that ends then (it got
 * the terminal's SIGINT too) is not restarted and not a failure. Since the plugin can die of such a signal before
 * the JVM's shutdown hooks run, an end by SIGHUP, SIGINT, SIGQUIT or SIGTERM waits up to a second for that notice
 * before it counts as a failure.
 */
public final class PluginSupervisor {

    private static final Log LOG = LogFactory.getLog(PluginSupervisor.class);

    private static final String SHUTTING_DOWN = "the application is shutting down";

    /**
     * How long an end by a shared signal ({@link IncarnationEnd#bySharedSignal()}) waits for the application's own
     * shutdown to be noticed: the JVM starts its shutdown hooks a few milliseconds after such a signal, and a slow
     * or loaded machine can take hundreds; a plugin killed that way alone restarts this much later.
     */
    private static final Duration SHARED_SIGNAL_GRACE = Duration.ofSeconds(1);

    private final PluginDefinition definition;

    private final RandomGenerator random;

    private final Log pluginLog;

    /** Guards the transitions below that must be seen together (launching, current, the gate, stopping). */
    private final Object lock = new Object();

    private final RestartWindow recentRestarts;

    private final AtomicInteger incarnations = new AtomicInteger();

    private final AtomicLong restarts = new AtomicLong();

    private final List<Consumer<Duration>> startListeners = new CopyOnWriteArrayList<>();

    private final PluginCalls calls = new PluginCalls();

    /** Where calls find the running incarnation; opened, closed and ended under {@code lock}. */
    private final IncarnationGate gate;

    /** Waits for each incarnation to end, killing one that stalls. */
    private final IncarnationEndWatch endWatch;

    private volatile PluginState state = PluginState.NOT_STARTED;

    private volatile @Nullable Incarnation current;

    private volatile @Nullable PluginFailure lastFailure;

    /** An operator asked for a restart: the exit that follows is not a failure, a backoff is cut short. */
    private volatile boolean restartRequested;

    /** The JVM shuts down: nothing is launched any more, an exit is not a failure. */
    private volatile boolean shuttingDown;

    private @Nullable RapaceHost launching;

    private boolean stopping;

    private @Nullable Thread thread;

    private CompletableFuture<Void> firstOutcome = new CompletableFuture<>();

    /** A supervisor of {@code definition}; nothing runs before {@link #start()}. */
    public PluginSupervisor(PluginDefinition definition) {
        this(definition, RandomGenerator.getDefault());
    }

    PluginSupervisor(PluginDefinition definition, RandomGenerator random) {
        this.definition = Objects.requireNonNull(definition, "definition");
        this.random = random;
        this.pluginLog = LogFactory.getLog("rapace.plugin." + definition.name());
        this.recentRestarts = new RestartWindow(definition.restartWindow());
        this.gate = new IncarnationGate(definition, this.calls, this::describeState);
        this.endWatch = new IncarnationEndWatch(definition, this.pluginLog, this::isStopping, this::closeGate);
    }

    /** What this supervisor runs. */
    public PluginDefinition definition() {
        return this.definition;
    }

    /** Called with the start-up time of every incarnation that started (for meters). */
    public void onStarted(Consumer<Duration> listener) {
        this.startListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Called with the outcome of every call through this plugin's {@linkplain #client clients}: {@code OK}, or the
     * error code it failed with (for meters). Each call is reported once, on the thread that ended it; the listener
     * must be fast and must not throw.
     */
    public void onCallEnded(Consumer<ErrorCode> listener) {
        this.calls.addListener(listener);
    }

    /**
     * Reports a call through this plugin's clients that ended without reaching any incarnation's session (the
     * calls that did are reported by their session, and refusals of {@link #awaitIncarnation} by it). The hook for
     * a client that fails a call on its own.
     */
    void callEnded(ErrorCode outcome) {
        this.calls.ended(outcome);
    }

    /**
     * The JVM shuts down (a signal reached the application, e.g. the SIGINT of a Ctrl-C, which a terminal sends to
     * every process of its foreground process group): from now on no incarnation is launched, and one that ends is
     * neither restarted nor a failure; the orderly {@link #stop()} follows once the application has drained.
     */
    void applicationShuttingDown() {
        synchronized (this.lock) {
            this.shuttingDown = true;
            this.lock.notifyAll();
        }
    }

    /**
     * Starts supervising and returns once the first incarnation runs, or its first start failed, or the start
     * timeout passed; never throws because the plugin cannot start (the failure is in {@link #status()}).
     */
    public void start() {
        CompletableFuture<Void> outcome;
        synchronized (this.lock) {
            if (this.thread != null && this.thread.isAlive()) {
                return;
            }
            this.stopping = false;
            outcome = launchThread();
        }
        try {
            outcome.get(this.definition.startTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException | ExecutionException ex) {
            // the thread carries on; the status tells
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the plugin: the running incarnation is closed (SIGTERM, the stop timeout, then SIGKILL; its segment
     * file deleted), no other starts, and pending waiters fail with {@code UNAVAILABLE}. Returns when the process is
     * gone. Idempotent.
     */
    public void stop() {
        RapaceHost running;
        Thread supervising;
        synchronized (this.lock) {
            this.stopping = true;
            this.lock.notifyAll();
            Incarnation incarnation = this.current;
            running = incarnation != null ? incarnation.host() : this.launching;
            supervising = this.thread;
        }
        if (running != null) {
            running.close();
        }
        if (supervising != null) {
            try {
                supervising.join(this.definition.stopTimeout().plusSeconds(10));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        end(PluginState.STOPPED, "plugin '" + this.definition.name() + "' is stopped");
    }

    /**
     * An operator's restart: a running incarnation is closed and the next one starts at once (not counted as a
     * failure); a plugin that was given up or exited starts again with its restart count in the window cleared.
     */
    public void restart() {
        RapaceHost running = null;
        synchronized (this.lock) {
            if (this.stopping && this.state == PluginState.STOPPED) {
                throw new IllegalStateException("plugin '" + this.definition.name() + "' is stopped");
            }
            if (this.thread == null || !this.thread.isAlive()) {
                this.recentRestarts.clear();
                this.stopping = false;
                launchThread();
                return;
            }
            Incarnation incarnation = this.current;
            if (incarnation != null) {
                this.restartRequested = true;
                running = incarnation.host();
            }
            else if (this.state == PluginState.BACKING_OFF) {
                // cut the backoff short
                this.restartRequested = true;
                this.lock.notifyAll();
            }
        }
        if (running != null) {
            this.pluginLog.info("restart requested: stopping incarnation " + this.current());
            running.close();
        }
    }

    private int current() {
        return this.incarnations.get();
    }

    /** A snapshot for health, meters and the endpoint. */
    public PluginStatus status() {
        Incarnation incarnation = this.current;
        return new PluginStatus(this.definition.name(), this.state, this.incarnations.get(), this.restarts.get(),
                this.lastFailure, incarnation != null ? incarnation.status() : null);
    }

    /**
     * A client of the plugin's service {@code serviceInterface} that survives restarts: each call goes to the
     * incarnation running at the time; during a restart it waits for the next (the wait counting against the call
     * timeout, so the call then runs with what is left of it) or fails at once with {@code UNAVAILABLE}, per
     * {@link PluginDefinition#callsDuringRestart()}. A blocking call waits on its own thread; a future, a
     * {@code Mono} or a {@code Flux} waits on a virtual thread, and only while no incarnation runs. A call in flight
     * when the process dies fails with {@code PEER_DIED} (never sent again: the plugin may have acted on it); one
     * that met the dead incarnation's closed session before it was sent goes to the next incarnation.
     */
    public <T> T client(Class<T> serviceInterface) {
        if (!serviceInterface.isInterface()) {
            throw new IllegalArgumentException(serviceInterface.getName() + " is not an interface: a client of plugin '"
                    + this.definition.name() + "' needs its service interface");
        }
        return RapaceClients.create(serviceInterface, new IncarnationSessions(this),
                ClientOptions.defaults().withTimeout(this.definition.callTimeout()));
    }

    /**
     * The running incarnation, waiting for one until {@code deadlineNanos} (on {@link System#nanoTime()}) when
     * the plugin is starting or restarting and calls wait; see {@link IncarnationGate#await}.
     */
    Incarnation awaitIncarnation(long deadlineNanos) {
        return this.gate.await(deadlineNanos);
    }

    /** Whether a running incarnation can take a call now, without waiting. */
    @Nullable Incarnation runningNow() {
        return this.gate.runningNow();
    }

    private String describeState() {
        PluginFailure failure = this.lastFailure;
        String state = label(this.state.name(), ' ');
        return failure == null ? state : state + "; last failure: " + failure.reason();
    }

    // ---- the supervision thread ----

    private CompletableFuture<Void> launchThread() {
        this.firstOutcome = new CompletableFuture<>();
        this.gate.close();
        CompletableFuture<Void> outcome = this.firstOutcome;
        this.thread = Thread.ofPlatform().daemon().name("rapace-supervisor-" + this.definition.name())
            .start(this::supervise);
        return outcome;
    }

    private void supervise() {
        try {
            superviseLoop();
        }
        catch (RuntimeException | Error ex) {
            LOG.error("plugin '" + this.definition.name() + "': supervision failed", ex);
            end(PluginState.FAILED, "supervision failed: " + ex);
        }
        finally {
            this.firstOutcome.complete(null);
        }
    }

    /** One turn per incarnation: launch, wait for its end, then stop, give up, or back off and launch again. */
    private void superviseLoop() {
        while (!closing()) {
            Incarnation incarnation = launch();
            this.firstOutcome.complete(null);
            IncarnationEnd ended = null;
            if (incarnation != null) {
                ended = this.endWatch.awaitEnd(incarnation);
                retire(incarnation, ended);
            }
            if (isStopping()) {
                return;
            }
            if (this.shuttingDown) {
                end(PluginState.STOPPED, SHUTTING_DOWN);
                return;
            }
            if (incarnation != null && this.restartRequested) {
                // an operator's restart: at once, neither a failure nor counted in the restart window
                this.restartRequested = false;
                continue;
            }
            if (policyEnds(ended) || !backOff()) {
                return;
            }
        }
    }

    /**
     * Whether the restart policy ends the plugin after {@code ended} (null: the incarnation did not start); if it
     * does, the plugin's end is recorded.
     */
    private boolean policyEnds(@Nullable IncarnationEnd ended) {
        RestartPolicy policy = this.definition.restart();
        if (ended == null ? policy != RestartPolicy.NEVER : policy.restartsAfter(ended.exitCode())) {
            return false;
        }
        PluginState finalState = ended != null && ended.exitCode() == 0 ? PluginState.EXITED : PluginState.FAILED;
        String what = ended == null ? "did not start" : "exited";
        end(finalState, lastFailureReason(what) + "; restart=" + label(policy.name(), '-'));
        return true;
    }

    /**
     * Records a restart in the window and waits out its backoff (an operator's restart cuts it short); false when
     * the plugin is given up (too many restarts within the window) or the application shuts down meanwhile.
     */
    private boolean backOff() {
        int inWindow = this.recentRestarts.record(System.nanoTime());
        if (inWindow > this.definition.maxRestarts()) {
            String reason = "gave up after " + this.definition.maxRestarts() + " restarts within "
                    + this.definition.restartWindow() + "; last failure: " + lastFailureReason("unknown");
            this.pluginLog.error(reason);
            end(PluginState.FAILED, reason);
            return false;
        }
        Duration delay = this.definition.backoff().delay(inWindow, this.random);
        this.state = PluginState.BACKING_OFF;
        this.pluginLog.info("restarting in " + delay.toMillis() + " ms (restart " + inWindow + " of at most "
                + this.definition.maxRestarts() + " within " + this.definition.restartWindow() + ")");
        pause(delay);
        if (this.shuttingDown && !isStopping()) {
            end(PluginState.STOPPED, SHUTTING_DOWN);
            return false;
        }
        if (!isStopping()) {
            this.restarts.incrementAndGet();
        }
        return true;
    }

    private String lastFailureReason(String otherwise) {
        PluginFailure failure = this.lastFailure;
        return failure != null ? failure.reason() : otherwise;
    }

    /** A stalled incarnation is being killed: calls wait for the next one. */
    private void closeGate() {
        synchronized (this.lock) {
            this.gate.close();
        }
    }

    private boolean isStopping() {
        synchronized (this.lock) {
            return this.stopping;
        }
    }

    /** Stopped by an operator or the JVM shutting down: nothing more is launched or promoted. */
    private boolean closing() {
        synchronized (this.lock) {
            return closingLocked();
        }
    }

    /** {@link #closing()} for a caller that holds {@link #lock} already. */
    private boolean closingLocked() {
        return this.stopping || this.shuttingDown;
    }

    /**
     * After a process {@code ended}: when a shared signal ended it, waits up to {@link #SHARED_SIGNAL_GRACE} for the
     * application's shutdown (or a stop, or an operator's restart) to be noticed, so that the end of a plugin that
     * got the application's own Ctrl-C or SIGTERM first is neither a failure nor followed by a restart.
     */
    private void awaitShutdownAfterSharedSignal(IncarnationEnd ended) {
        if (!ended.bySharedSignal()) {
            return;
        }
        synchronized (this.lock) {
            awaitNoticeLocked(System.nanoTime() + SHARED_SIGNAL_GRACE.toNanos());
        }
    }

    /** Waits out {@code delay} unless a stop, the application's shutdown or an operator's restart comes first. */
    private void pause(Duration delay) {
        synchronized (this.lock) {
            if (awaitNoticeLocked(System.nanoTime() + delay.toNanos())) {
                this.restartRequested = false;
            }
        }
    }

    /**
     * Waits, holding {@link #lock}, until {@code deadline} ({@link System#nanoTime()}) or a stop, the application's
     * shutdown or an operator's restart; false when interrupted (the flag kept).
     */
    private boolean awaitNoticeLocked(long deadline) {
        long left;
        while (!closingLocked() && !this.restartRequested && (left = deadline - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.timedWait(this.lock, left);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Launches one incarnation and waits for its first heartbeat; null when it did not start (failure kept). */
    private @Nullable Incarnation launch() {
        synchronized (this.lock) {
            if (closingLocked()) {
                return null;
            }
        }
        int number = this.incarnations.incrementAndGet();
        this.state = PluginState.STARTING;
        long launched = System.nanoTime();
        IncarnationLaunch plan;
        try {
            plan = LaunchPlanner.plan(this.definition, number);
        }
        catch (RuntimeException ex) {
            fail(number, null, notLaunched(number, "prepared", ex), List.of());
            return null;
        }
        PluginCalls.SessionCalls sessionCalls = this.calls.observer();
        RapaceHost host;
        try {
            host = IncarnationHosts.start(this.definition, plan, sessionCalls);
        }
        catch (RuntimeException ex) {
            plan.cleanUp().run();
            fail(number, null, notLaunched(number, "launched", ex), List.of());
            return null;
        }
        sessionCalls.attach(host.session());
        if (!track(host)) {
            discard(host, plan);
            return null;
        }
        PluginOutput output = new PluginOutput(this.definition.name());
        output.attach(host.process(), "rapace-plugin-" + this.definition.name() + "-" + number);
        if (!awaitFirstHeartbeat(number, host, plan, output)) {
            return null;
        }
        Duration startup = Duration.ofNanos(System.nanoTime() - launched);
        Incarnation incarnation = new Incarnation(number, host, output, plan.cleanUp(), startup);
        if (!promote(incarnation)) {
            discard(host, plan);
            return null;
        }
        this.pluginLog.info("incarnation " + number + " (pid " + host.process().pid() + ") started in "
                + startup.toMillis() + " ms on " + host.path());
        this.startListeners.forEach((listener) -> listener.accept(startup));
        return incarnation;
    }

    private String notLaunched(int number, String step, RuntimeException ex) {
        return "incarnation " + number + " could not be " + step + " (" + this.definition.launch().describe() + "): "
                + ex.getMessage();
    }

    /** Makes {@code host} the one {@link #stop()} closes while it starts; false when the supervisor stops already. */
    private boolean track(RapaceHost host) {
        synchronized (this.lock) {
            if (closingLocked()) {
                return false;
            }
            this.launching = host;
            return true;
        }
    }

    /**
     * Waits up to the start timeout for the plugin's first heartbeat; when none comes (the process exited or stayed
     * silent), closes the host, cleans up and keeps the failure with the process's last lines, and returns false.
     */
    private boolean awaitFirstHeartbeat(int number, RapaceHost host, IncarnationLaunch plan, PluginOutput output) {
        try {
            host.awaitPluginStarted(this.definition.startTimeout());
            return true;
        }
        catch (RapaceRuntimeException ex) {
            // still running at the start timeout: this supervisor ends it, so no signal of another's ended it
            String killedBecause = host.process().isAlive() ? "silent at the start timeout" : null;
            discard(host, plan);
            output.awaitEnd(2_000);
            synchronized (this.lock) {
                this.launching = null;
            }
            awaitShutdownAfterSharedSignal(new IncarnationEnd(host.process().exitValue(), killedBecause));
            if (!closing()) {
                fail(number, host.process().exitValue(), "incarnation " + number + " (pid " + host.process().pid()
                        + ") did not start: " + ex.getMessage(), output.lastLines());
            }
            return false;
        }
    }

    /** The incarnation started: calls go to it from now on; false when the supervisor stopped meanwhile. */
    private boolean promote(Incarnation incarnation) {
        synchronized (this.lock) {
            this.launching = null;
            if (closingLocked()) {
                return false;
            }
            this.current = incarnation;
            this.state = PluginState.RUNNING;
            this.gate.open(incarnation);
            return true;
        }
    }

    /** An incarnation that will not run: its process stopped, its segment file and what its launch made removed. */
    private static void discard(RapaceHost host, IncarnationLaunch plan) {
        host.close();
        plan.cleanUp().run();
    }

    /** The incarnation's process has exited: calls wait for the next one, the host is closed (file deleted). */
    private void retire(Incarnation incarnation, IncarnationEnd ended) {
        synchronized (this.lock) {
            this.current = null;
            this.gate.close();
        }
        long pid = incarnation.host().process().pid();
        awaitShutdownAfterSharedSignal(ended);
        boolean expected = isStopping() || this.restartRequested;
        if (!expected) {
            // The process died: its pending calls fail with PEER_DIED, not SESSION_CLOSED, whichever of RapaceHost's
            // own exit watch and this thread comes first (peerGone is idempotent).
            incarnation.host().session().peerGone("plugin process " + pid + " exited with code " + ended.exitCode());
        }
        incarnation.host().close();
        incarnation.cleanUp().run();
        String which = "incarnation " + incarnation.number() + " (pid " + pid + ")";
        String after = " after " + incarnation.uptime().toMillis() + " ms";
        if (expected) {
            // its last lines (it logs its own stop) before the application's logging ends
            incarnation.output().awaitEnd(1_000);
            this.pluginLog.info(which + " stopped with exit code " + ended.exitCodeText() + after);
        }
        else if (this.shuttingDown) {
            this.pluginLog.info(which + " exited with code " + ended.exitCodeText()
                    + " while the application shuts down; not restarted");
        }
        else {
            String reason = ended.killedBecause() != null ? ended.killedBecause() + after + " up"
                    : which + " exited with code " + ended.exitCodeText() + after;
            incarnation.output().awaitEnd(1_000);
            fail(incarnation.number(), ended.exitCode(), reason, incarnation.output().lastLines());
        }
    }

    private void fail(int number, @Nullable Integer exitCode, String reason, List<String> lastLines) {
        this.lastFailure = new PluginFailure(number, exitCode, reason, lastLines, Instant.now());
        if (!lastLines.isEmpty()) {
            this.pluginLog.warn(reason + "; its last lines:" + System.lineSeparator() + "  "
                    + String.join(System.lineSeparator() + "  ", lastLines));
        }
        else {
            this.pluginLog.warn(reason);
        }
    }

    /** No incarnation will come (given up, exited, stopped): waiting and later calls fail with UNAVAILABLE. */
    private void end(PluginState finalState, String reason) {
        synchronized (this.lock) {
            if (this.state == PluginState.STOPPED) {
                return;
            }
            this.state = finalState;
            this.current = null;
            this.gate.end(new RapaceException(ErrorCode.UNAVAILABLE,
                    "plugin '" + this.definition.name() + "' is " + label(finalState.name(), ' ') + ": " + reason));
            if (finalState != PluginState.STOPPED) {
                PluginFailure failure = this.lastFailure;
                if (failure != null) {
                    this.lastFailure = new PluginFailure(failure.incarnation(), failure.exitCode(), reason,
                            failure.lastLines(), failure.at());
                }
            }
        }
    }

    /** An enum constant's name as text: {@code BACKING_OFF} reads "backing off" (or "on-failure" with '-'). */
    private static String label(String constant, char separator) {
        return constant.toLowerCase(Locale.ROOT).replace('_', separator);
    }

    @Override
    public String toString() {
        return "PluginSupervisor[" + this.definition.name() + ", " + this.state + ", incarnation "
                + this.incarnations.get() + "]";
    }
}
