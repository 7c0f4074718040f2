package io.rapace.docs.plain;

// snippet: plain-calculator
import io.rapace.core.codec.Unsigned;
import reactor.core.publisher.Flux;

public interface Calculator {                        // Calculator.java: shared by plugin and host
    int add(int a, int b);
    Flux<Integer> range(@Unsigned int n);
}
// end-snippet
