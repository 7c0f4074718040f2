package io.rapace.docs.plain;

import java.time.Duration;

import io.rapace.core.runtime.RapaceHost;

/** A host that serves the plugin a service of its own. */
final class HostWithOptions {

    private HostWithOptions() {
    }

    static void run(String java, String classpath, PluginWithOptions.HostApi hostApi) {
        // snippet: host-builder
        try (RapaceHost host = RapaceHost.builder()
                .command(java, "-cp", classpath, "com.example.CalculatorPlugin")
                .services(hostApi)                           // optional: what the plugin may call
                .start()) {
            host.awaitPluginStarted(Duration.ofSeconds(10)); // wait for the plugin's first heartbeat
            Calculator calculator = host.client(Calculator.class);
            int sum = calculator.add(2, 3);
        }
        // end-snippet
    }
}
