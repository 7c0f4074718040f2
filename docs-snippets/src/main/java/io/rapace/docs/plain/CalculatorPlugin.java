package io.rapace.docs.plain;

// snippet: plain-plugin
import io.rapace.core.runtime.RapacePlugin;
import reactor.core.publisher.Flux;

public final class CalculatorPlugin {                // the plugin process
    public static void main(String[] args) {
        RapacePlugin.run(args, new Calculator() {       // blocks until the host closes or dies
            public int add(int a, int b) { return a + b; }
            public Flux<Integer> range(int n) { return Flux.range(0, n); }
        });
    }
}
// end-snippet
