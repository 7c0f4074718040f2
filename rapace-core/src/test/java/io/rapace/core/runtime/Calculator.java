package io.rapace.core.runtime;

import java.util.concurrent.CompletableFuture;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The plugin's service in the two-process tests. */
public interface Calculator {

    int add(int a, int b);

    CompletableFuture<Integer> addAsync(int a, int b);

    Mono<Long> multiply(long a, long b);

    Flux<Integer> range(int n);

    /** Throws RapaceException(NOT_FOUND) for every key. */
    String find(String key);

    /** Throws a plain RuntimeException. */
    String crash(String why);

    /** Sleeps, then answers. */
    String slow(long millis);

    /** Sleeps (on another thread), then answers. */
    CompletableFuture<String> slowAsync(long millis);

    /** Asks the host's {@link HostMath#twice(int)}, then adds one. */
    int viaHost(int x);

    /** A local method of the interface, never sent. */
    default int addTwice(int a) {
        return add(a, a);
    }
}
