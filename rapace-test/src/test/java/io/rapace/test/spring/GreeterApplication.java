package io.rapace.test.spring;

import io.rapace.test.GreeterImpl;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** A Spring Boot plugin serving the kit's {@code Greeter} service. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class GreeterApplication {

    @Bean
    GreeterImpl greeter() {
        return new GreeterImpl();
    }
}
