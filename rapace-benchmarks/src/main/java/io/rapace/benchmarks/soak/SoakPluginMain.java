package io.rapace.benchmarks.soak;

import io.rapace.core.runtime.RapacePlugin;
import reactor.core.publisher.Flux;

/** The plugin process of {@link SoakHarness}: serves {@link SoakService} with {@link RapacePlugin#run}. */
public final class SoakPluginMain {

    private SoakPluginMain() {
    }

    /** Runs the plugin on the segment named by {@code args}. */
    public static void main(String[] args) {
        RapacePlugin.run(args, new Service());
    }

    /** Checks each request's pattern and answers with the pattern asked for. */
    static final class Service implements SoakService {

        @Override
        public byte[] echo(byte[] data, int seed, int replySize) {
            if (!Patterns.matches(data, seed, data.length)) {
                return new byte[0];
            }
            return Patterns.filled(seed, replySize);
        }

        @Override
        public Flux<byte[]> burst(int count, int size) {
            return Flux.range(0, count).map(index -> Patterns.filled(index, size));
        }
    }
}
