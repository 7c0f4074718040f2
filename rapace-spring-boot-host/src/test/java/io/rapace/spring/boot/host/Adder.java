package io.rapace.spring.boot.host;

import io.rapace.core.service.RapaceService;
import reactor.core.publisher.Flux;

/** The test plugin's service. */
@RapaceService
public interface Adder {

    int add(int a, int b);

    Flux<Integer> range(int n);

    /** Never answers (the plugin's handler sleeps until it is interrupted). */
    void hang();
}
