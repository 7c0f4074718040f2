package io.rapace.samplehost;

import io.rapace.core.codec.Unsigned;
import io.rapace.core.service.RapaceService;
import reactor.core.publisher.Flux;

/**
 * The host's view of the plugin's {@code Calculator} service, declared by its wire name: the host shares no classes
 * with the plugin (as a host in another language would not).
 */
@RapaceService
public interface Calculator {

    /** {@code Calculator.add(a: i32, b: i32) -> i32}. */
    int add(int a, int b);

    /** {@code Calculator.range(n: u32) -> stream of u32}. */
    Flux<@Unsigned Integer> range(@Unsigned int n);
}
