package io.rapace.docs.services;

// snippet: services-calculator
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.rapace.core.codec.Unsigned;
import io.rapace.core.service.RapaceMethod;
import io.rapace.core.service.RapaceService;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

public interface Calculator {
    int add(int a, int b);                       // Calculator.add
    CompletableFuture<Integer> addAsync(int a, int b);
    Mono<Long> multiply(long a, long b);
    Flux<Integer> range(@Unsigned int n);        // server streaming, u32 argument
    @RapaceMethod(name = "sum")
    long sumAll(List<Long> values);              // Calculator.sum (default would be sum_all)
}

@RapaceService                                   // optional on the class
class CalculatorImpl implements Calculator {
    public int add(int a, int b) { return Math.addExact(a, b); }
    public CompletableFuture<Integer> addAsync(int a, int b) { return CompletableFuture.completedFuture(a + b); }
    public Mono<Long> multiply(long a, long b) { return Mono.fromSupplier(() -> Math.multiplyExact(a, b)); }
    public Flux<Integer> range(int n) { return Flux.range(0, n); }
    public long sumAll(List<Long> values) { return values.stream().mapToLong(Long::longValue).sum(); }
}
// end-snippet
