package io.rapace.spring.boot.autoconfigure.scan;

import io.rapace.core.service.RapaceService;

import org.springframework.stereotype.Component;

/** Both a component and a service: must be registered exactly once. */
@Component
@RapaceService
public class ComponentEcho implements TestEcho {

    @Override
    public String echo(String text) {
        return text;
    }
}
