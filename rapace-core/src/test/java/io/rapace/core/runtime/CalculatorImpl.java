package io.rapace.core.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The plugin's implementation; {@link #host} is completed once the plugin is connected. The plugin serves before
 * that (a call may come as soon as it heartbeats, or right after a SIGSTOP sent then is lifted), so {@link #viaHost}
 * waits for it.
 */
public final class CalculatorImpl implements Calculator {

    final CompletableFuture<HostMath> host = new CompletableFuture<>();

    @Override
    public int add(int a, int b) {
        return a + b;
    }

    @Override
    public CompletableFuture<Integer> addAsync(int a, int b) {
        return CompletableFuture.supplyAsync(() -> a + b);
    }

    @Override
    public Mono<Long> multiply(long a, long b) {
        return Mono.fromSupplier(() -> a * b);
    }

    @Override
    public Flux<Integer> range(int n) {
        return Flux.range(0, n);
    }

    @Override
    public String find(String key) {
        throw new RapaceException(ErrorCode.NOT_FOUND, "no item '" + key + "'");
    }

    @Override
    public String crash(String why) {
        throw new IllegalStateException(why);
    }

    @Override
    public String slow(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return "slept " + millis;
    }

    @Override
    public CompletableFuture<String> slowAsync(long millis) {
        return CompletableFuture.supplyAsync(() -> slow(millis));
    }

    @Override
    public int viaHost(int x) {
        return this.host.orTimeout(30, TimeUnit.SECONDS).join().twice(x) + 1;
    }
}
