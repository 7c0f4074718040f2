package io.rapace.docs.plain;

import java.time.Duration;

import io.rapace.core.runtime.RapaceConnection;
import io.rapace.core.runtime.RapacePlugin;
import io.rapace.core.service.RapaceService;
import io.rapace.transport.shm.ShmConfig;
import reactor.core.publisher.Flux;

/** A plugin built with options that calls its host. */
final class PluginWithOptions {

    /** What the host serves to its plugin. */
    @RapaceService
    interface HostApi {

        void log(String line);
    }

    /** A second service of the plugin. */
    interface Echo {

        String echo(String text);
    }

    private PluginWithOptions() {
    }

    static void run(String[] args) {
        Calculator calculator = new Calculator() {
            public int add(int a, int b) { return a + b; }
            public Flux<Integer> range(int n) { return Flux.range(0, n); }
        };
        Echo echo = text -> text;
        // snippet: plugin-builder
        RapacePlugin plugin = RapacePlugin.builder()
                .services(calculator, echo)
                .openTimeout(Duration.ofSeconds(5))          // wait for the host's file (default 5 s)
                .expectedConfig(ShmConfig.PLUGIN_DEFAULT)    // optional: insist on a geometry
                .callTimeout(Duration.ofSeconds(10))         // default deadline of calls to the host (default 30 s)
                .livenessTimeout(Duration.ofSeconds(3))      // host's heartbeat still this long = stalled (3 s)
                .peerGoneAfter(Duration.ofSeconds(30))       // stalled this long, process unknown = gone (30 s)
                .heartbeatInterval(Duration.ofMillis(400))   // default 400 ms
                .closeGrace(Duration.ofSeconds(5))           // in-flight handlers on close (default 5 s)
                .build();

        try (RapaceConnection connection = plugin.start(args)) {     // or plugin.connect(path)
            HostApi host = connection.client(HostApi.class);          // the plugin calls its host
            host.log("plugin started");
            connection.awaitTermination();                            // same ending rules as run
        }
        // end-snippet
    }
}
