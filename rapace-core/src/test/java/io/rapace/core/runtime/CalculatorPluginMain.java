package io.rapace.core.runtime;

import java.time.Duration;

/**
 * The plugin process of the two-process tests: {@code RapacePlugin} serving {@link CalculatorImpl}, with a
 * client of the host's {@link HostMath}. The liveness timeout comes from {@code -Drapace.test.liveness}.
 */
public final class CalculatorPluginMain {

    private CalculatorPluginMain() {
    }

    public static void main(String[] args) {
        Duration liveness = Duration.parse(System.getProperty("rapace.test.liveness", "PT3S"));
        CalculatorImpl calculator = new CalculatorImpl();
        RapacePlugin plugin = RapacePlugin.builder().services(calculator).livenessTimeout(liveness)
                .heartbeatInterval(Duration.ofMillis(100)).callTimeout(Duration.ofSeconds(30)).build();
        try (RapaceConnection connection = plugin.start(args)) {
            calculator.host.complete(connection.client(HostMath.class));
            connection.awaitTermination();
        }
    }
}
