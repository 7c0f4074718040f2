package io.rapace.samplehost;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Supervises the sample plugin ({@code rapace.plugins.calculator.*} in {@code application.properties}) and serves
 * {@code /calc/add}, {@code /calc/range} and {@code /hash/sha256} through its client beans. Run it from the
 * repository root: {@code java -jar sample-host-app/target/sample-host-app.jar --server.port=8080}.
 */
@SpringBootApplication
public class SampleHostApplication {

    /** Starts the application. */
    public static void main(String[] args) {
        SpringApplication.run(SampleHostApplication.class, args);
    }
}
