package io.rapace.core.runtime;

import io.rapace.core.service.RapaceService;

/** A client view of Calculator with a method the plugin does not implement. */
@RapaceService("Calculator")
public interface CalculatorWithExtra {

    int add(int a, int b);

    int subtract(int a, int b);
}
