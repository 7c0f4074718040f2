package io.rapace.sample;

import io.rapace.core.codec.Unsigned;
import io.rapace.core.service.RapaceService;
import reactor.core.publisher.Flux;

/** The {@code Calculator} service, as any rapace host sees it. */
@RapaceService
public interface Calculator {

    /** {@code Calculator.add(a: i32, b: i32) -> i32}; fails with OUT_OF_RANGE when the sum overflows i32. */
    int add(int a, int b);

    /** {@code Calculator.range(n: u32) -> stream of u32}: 0, 1, …, n-1. */
    Flux<@Unsigned Integer> range(@Unsigned int n);
}
