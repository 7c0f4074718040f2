package io.rapace.spring.boot.autoconfigure;

import io.rapace.core.service.RapaceService;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration that makes every {@link RapaceService}-annotated class of the application's packages a
 * bean, whether or not a segment path is configured (so the services can be used and tested like any bean).
 * Off with {@code rapace.service-scan.enabled=false}.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "rapace.service-scan.enabled", matchIfMissing = true)
@Import(RapaceServiceScanRegistrar.class)
public final class RapaceServiceScanAutoConfiguration {

    RapaceServiceScanAutoConfiguration() {
    }
}
