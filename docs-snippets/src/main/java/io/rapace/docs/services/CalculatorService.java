package io.rapace.docs.services;

import io.rapace.core.service.NonBlocking;
import io.rapace.core.service.RapaceService;
import reactor.core.publisher.Flux;

// snippet: services-non-blocking
@RapaceService
public class CalculatorService implements Adder {
    @NonBlocking                         // pure computation: answer on the thread that received
    public int add(int a, int b) { return Math.addExact(a, b); }
}
// end-snippet

/** A one-method service. */
interface Adder {

    int add(int a, int b);
}
