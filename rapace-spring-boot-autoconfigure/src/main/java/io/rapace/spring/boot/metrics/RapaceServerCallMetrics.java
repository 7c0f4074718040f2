package io.rapace.spring.boot.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rapace.core.ErrorCode;
import io.rapace.core.service.RemoteMethod;
import io.rapace.core.session.SessionObserver;
import io.rapace.core.session.SessionOptions;

import org.springframework.util.Assert;

/**
 * Times every call that the plugin serves, as the timer {@code rapace.server.calls} tagged {@code service},
 * {@code method} (the wire names, for example {@code Calculator} and {@code add}) and {@code outcome} (the
 * {@link ErrorCode} name, {@code OK} on success). Calls to method ids that no service knows are tagged
 * {@code service=unknown, method=unknown} so that a misbehaving peer cannot blow up the tag cardinality.
 *
 * <p>Recording allocates nothing: the method is found by binary search over the known ids, and each
 * (method, outcome) timer is registered once and then reused.
 */
public final class RapaceServerCallMetrics implements SessionObserver {

    /** The timer's name. */
    public static final String METER_NAME = "rapace.server.calls";

    private static final ErrorCode[] OUTCOMES = ErrorCode.values();

    private final MeterRegistry registry;

    private final int[] methodIds;

    private final MethodMeters[] methods;

    private final MethodMeters unknown;

    /** Timers for the calls of {@code methods}, registered in {@code registry} on first use. */
    public RapaceServerCallMetrics(MeterRegistry registry, List<RemoteMethod> methods) {
        Assert.notNull(registry, "'registry' must not be null");
        Assert.notNull(methods, "'methods' must not be null");
        this.registry = registry;
        RemoteMethod[] sorted = methods.stream()
            .sorted(Comparator.comparingInt(RemoteMethod::id))
            .toArray(RemoteMethod[]::new);
        this.methodIds = new int[sorted.length];
        this.methods = new MethodMeters[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            this.methodIds[i] = sorted[i].id();
            this.methods[i] = new MethodMeters(sorted[i].serviceName(), sorted[i].name());
        }
        this.unknown = new MethodMeters("unknown", "unknown");
    }

    /** {@code options} with this observer added after the one they carry already. */
    public SessionOptions addTo(SessionOptions options) {
        Assert.notNull(options, "'options' must not be null");
        return options.withObserver(CompositeSessionObserver.combine(options.observer(), this));
    }

    @Override
    public void onServerCallCompleted(int methodId, ErrorCode outcome, long durationNanos) {
        int index = Arrays.binarySearch(this.methodIds, methodId);
        MethodMeters meters = (index >= 0) ? this.methods[index] : this.unknown;
        meters.timer(outcome).record(Math.max(0, durationNanos), TimeUnit.NANOSECONDS);
    }

    /** The lazily registered timers of one method, one per outcome. */
    private final class MethodMeters {

        private final String service;

        private final String method;

        private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(OUTCOMES.length);

        MethodMeters(String service, String method) {
            this.service = service;
            this.method = method;
        }

        Timer timer(ErrorCode outcome) {
            Timer timer = this.timers.get(outcome.ordinal());
            if (timer == null) {
                // Registering twice is harmless: the registry returns the same timer for the same id.
                timer = Timer.builder(METER_NAME)
                    .description("Calls served by this plugin")
                    .tag("service", this.service)
                    .tag("method", this.method)
                    .tag("outcome", outcome.name())
                    .register(RapaceServerCallMetrics.this.registry);
                this.timers.set(outcome.ordinal(), timer);
            }
            return timer;
        }
    }
}
