package io.rapace.spring.boot.autoconfigure;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/** A Spring plugin application for {@link SegmentFailureReportTests}: started with a segment path it cannot open. */
@SpringBootConfiguration
@ImportAutoConfiguration({ RapaceServicesAutoConfiguration.class, RapaceAutoConfiguration.class })
public class BadSegmentPluginMain {

    public static void main(String[] args) {
        SpringApplication.run(BadSegmentPluginMain.class, args);
    }
}
