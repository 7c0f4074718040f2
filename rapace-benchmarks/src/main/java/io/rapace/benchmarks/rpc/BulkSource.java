package io.rapace.benchmarks.rpc;

import reactor.core.publisher.Flux;

/** The service the bulk-stream harness measures: a server stream of equal byte chunks. */
public interface BulkSource {

    /** {@code count} chunks of {@code size} bytes each. */
    Flux<byte[]> chunks(int count, int size);
}
