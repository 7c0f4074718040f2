package io.rapace.benchmarks.rpc;

import io.rapace.core.runtime.RapacePlugin;
import reactor.core.publisher.Flux;

/** The plugin process of {@link BulkStreamHarness}: serves {@link BulkSource} with {@link RapacePlugin#run}. */
public final class BulkPluginMain {

    private BulkPluginMain() {
    }

    /** Runs the plugin on the segment named by {@code args}. */
    public static void main(String[] args) {
        RapacePlugin.run(args, new Source());
    }

    /** Emits the same chunk (its first bytes carry the index) {@code count} times. */
    static final class Source implements BulkSource {

        @Override
        public Flux<byte[]> chunks(int count, int size) {
            byte[] chunk = new byte[size];
            return Flux.range(0, count).map(index -> {
                chunk[0] = index.byteValue();
                return chunk;
            });
        }
    }
}
