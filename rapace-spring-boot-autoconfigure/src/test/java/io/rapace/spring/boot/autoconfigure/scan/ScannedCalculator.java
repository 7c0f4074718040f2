package io.rapace.spring.boot.autoconfigure.scan;

import io.rapace.core.service.RapaceService;

/** Found by the service scan: annotated {@link RapaceService} only. */
@RapaceService
public class ScannedCalculator implements TestCalculator {

    @Override
    public int add(int a, int b) {
        return a + b;
    }
}
