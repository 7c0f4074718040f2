package io.rapace.benchmarks.soak;

import reactor.core.publisher.Flux;

/** The soak plugin's service: payloads of chosen sizes both ways, checkable by their contents. */
public interface SoakService {

    /**
     * Answers {@code replySize} bytes whose every byte is {@code seed + index} (mod 256), after checking that
     * {@code data} carries the same pattern from {@code seed}; a request that arrived corrupted is answered
     * with an empty array.
     */
    byte[] echo(byte[] data, int seed, int replySize);

    /** {@code count} items of {@code size} bytes, item {@code i} filled with the byte {@code i}. */
    Flux<byte[]> burst(int count, int size);
}
