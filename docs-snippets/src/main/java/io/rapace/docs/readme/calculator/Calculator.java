package io.rapace.docs.readme.calculator;

// snippet: readme-calculator
import io.rapace.core.codec.Unsigned;
import io.rapace.core.service.RapaceService;
import reactor.core.publisher.Flux;

@RapaceService
public interface Calculator {
    int add(int a, int b);                              // Calculator.add(a: i32, b: i32) -> i32
    Flux<@Unsigned Integer> range(@Unsigned int n);     // Calculator.range(n: u32) -> stream of u32
}

@RapaceService                                          // a bean: no @Component needed
class CalculatorImpl implements Calculator {
    public int add(int a, int b) { return Math.addExact(a, b); }
    public Flux<Integer> range(int n) { return Flux.range(0, n); }
}
// end-snippet
