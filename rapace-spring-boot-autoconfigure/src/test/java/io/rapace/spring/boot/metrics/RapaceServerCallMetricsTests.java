package io.rapace.spring.boot.metrics;

import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rapace.core.ErrorCode;
import io.rapace.core.service.RapaceService;
import io.rapace.core.service.RemoteMethod;
import io.rapace.core.service.ServiceDefinition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RapaceServerCallMetricsTests {

    @Test
    void recordsOneTimerPerMethodAndOutcome() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<RemoteMethod> methods = ServiceDefinition.of(new Adder()).methods();
        RapaceServerCallMetrics metrics = new RapaceServerCallMetrics(registry, methods);
        int add = methods.stream().filter((method) -> method.name().equals("add_all")).findFirst().orElseThrow().id();
        metrics.onServerCallCompleted(add, ErrorCode.OK, 1_000_000);
        metrics.onServerCallCompleted(add, ErrorCode.OK, 3_000_000);
        metrics.onServerCallCompleted(add, ErrorCode.INVALID_ARGUMENT, 500_000);
        assertThat(registry.get("rapace.server.calls")
            .tags("service", "Adding", "method", "add_all", "outcome", "OK")
            .timer()
            .count()).isEqualTo(2);
        assertThat(registry.get("rapace.server.calls")
            .tags("service", "Adding", "method", "add_all", "outcome", "INVALID_ARGUMENT")
            .timer()
            .count()).isEqualTo(1);
        assertThat(registry.get("rapace.server.calls").timers()).hasSize(2);
    }

    /** A service interface. */
    public interface Adding {

        /** Adds. */
        int addAll(int a, int b);
    }

    /** Its implementation. */
    @RapaceService
    public static class Adder implements Adding {

        @Override
        public int addAll(int a, int b) {
            return a + b;
        }
    }
}
