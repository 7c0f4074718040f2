package io.rapace.sample;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.codec.Unsigned;
import io.rapace.core.service.NonBlocking;
import io.rapace.core.service.RapaceService;
import reactor.core.publisher.Flux;

/** Serves {@link Calculator}: registered as a bean because it carries {@link RapaceService}. */
@RapaceService
public class CalculatorService implements Calculator {

    /** Pure arithmetic: runs on the thread that received the request, with no hand-off. */
    @Override
    @NonBlocking
    public int add(int a, int b) {
        try {
            return Math.addExact(a, b);
        }
        catch (ArithmeticException ex) {
            throw new RapaceException(ErrorCode.OUT_OF_RANGE, "add(" + a + ", " + b + ") overflows i32");
        }
    }

    @Override
    public Flux<@Unsigned Integer> range(@Unsigned int n) {
        // n is a u32: values above Integer.MAX_VALUE arrive negative. Emit 0..n-1 in unsigned order.
        long count = Integer.toUnsignedLong(n);
        return Flux.<Integer, Long>generate(() -> 0L, (next, sink) -> {
            if (next >= count) {
                sink.complete();
            }
            else {
                sink.next((int) next.longValue());
            }
            return next + 1;
        });
    }
}
