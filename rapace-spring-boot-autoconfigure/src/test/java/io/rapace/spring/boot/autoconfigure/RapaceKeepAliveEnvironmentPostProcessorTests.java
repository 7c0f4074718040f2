package io.rapace.spring.boot.autoconfigure;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class RapaceKeepAliveEnvironmentPostProcessorTests {

    private static final String KEEP_ALIVE = "spring.main.keep-alive";

    @ParameterizedTest
    @ValueSource(strings = { "--rapace.shm.path=/dev/shm/p.shm", "--shm-path=/dev/shm/p.shm", "--addr=/dev/shm/p.shm",
            "/dev/shm/p.shm" })
    void segmentPathOnTheCommandLineKeepsTheApplicationAlive(String argument) {
        StandardEnvironment environment = postProcess("--transport=shm", argument);
        assertThat(environment.getProperty(KEEP_ALIVE, Boolean.class)).isTrue();
    }

    @Test
    void segmentPathPropertyKeepsTheApplicationAlive() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources()
            .addFirst(new MapPropertySource("test", Map.of("rapace.shm.path", "/dev/shm/p.shm")));
        new RapaceKeepAliveEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty(KEEP_ALIVE, Boolean.class)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "--debug=false", "--help", "-h", "--shm-path" })
    void withoutAUsableSegmentPathNothingIsSet(String argument) {
        StandardEnvironment environment = postProcess(argument);
        assertThat(environment.getProperty(KEEP_ALIVE)).isNull();
        assertThat(environment.getPropertySources().contains(RapaceKeepAliveEnvironmentPostProcessor.PROPERTY_SOURCE_NAME))
            .isFalse();
    }

    @Test
    void theUsersKeepAliveWins() {
        StandardEnvironment environment = postProcess("--shm-path=/dev/shm/p.shm", "--spring.main.keep-alive=false");
        assertThat(environment.getProperty(KEEP_ALIVE, Boolean.class)).isFalse();
    }

    @Test
    void theDefaultIsTheLastPropertySource() {
        StandardEnvironment environment = postProcess("--shm-path=/dev/shm/p.shm");
        assertThat(environment.getPropertySources().stream().reduce((first, second) -> second).orElseThrow().getName())
            .isEqualTo(RapaceKeepAliveEnvironmentPostProcessor.PROPERTY_SOURCE_NAME);
    }

    private static StandardEnvironment postProcess(String... args) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
        new RapaceKeepAliveEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }
}
