package io.rapace.spring.boot;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RapaceShmPathResolverTests {

    private final MockEnvironment environment = new MockEnvironment();

    @Test
    void resolveWithNothingIsEmpty() {
        assertThat(resolve()).isEmpty();
        assertThat(new RapaceShmPathResolver(this.environment, null).resolve()).isEmpty();
    }

    @Test
    void resolveReadsTheSpringProperty() {
        this.environment.setProperty("rapace.shm.path", "/dev/shm/from-property");
        assertThat(resolve("--shm-path=/dev/shm/from-argument")).hasValueSatisfying((path) -> {
            assertThat(path.path()).isEqualTo(Path.of("/dev/shm/from-property"));
            assertThat(path.origin()).isEqualTo("property rapace.shm.path");
        });
    }

    @Test
    void resolveReadsTheEnvironmentVariable() {
        this.environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("env",
                Map.of("RAPACE_SHM_PATH", "/dev/shm/from-env")));
        assertThat(resolve("positional")).hasValueSatisfying(
                (path) -> assertThat(path.path()).isEqualTo(Path.of("/dev/shm/from-env")));
    }

    @Test
    void resolveTreatsABlankPropertyAsUnset() {
        this.environment.setProperty("rapace.shm.path", "  ");
        assertThat(resolve("/dev/shm/positional")).hasValueSatisfying(
                (path) -> assertThat(path.path()).isEqualTo(Path.of("/dev/shm/positional")));
    }

    @Test
    void resolveReadsShmPathBeforeAddrAndPositional() {
        assertThat(resolve("positional", "--addr=/a", "--shm-path=/s")).hasValueSatisfying((path) -> {
            assertThat(path.path()).isEqualTo(Path.of("/s"));
            assertThat(path.origin()).isEqualTo("argument --shm-path");
        });
    }

    @Test
    void resolveReadsAddrBeforePositional() {
        assertThat(resolve("--transport=shm", "positional", "--addr=/a")).hasValueSatisfying((path) -> {
            assertThat(path.path()).isEqualTo(Path.of("/a"));
            assertThat(path.origin()).isEqualTo("argument --addr");
        });
    }

    @Test
    void resolveReadsTheFirstPositionalArgument() {
        assertThat(resolve("--verbose", "/dev/shm/first", "/dev/shm/second")).hasValueSatisfying((path) -> {
            assertThat(path.path()).isEqualTo(Path.of("/dev/shm/first"));
            assertThat(path.origin()).isEqualTo("first positional argument");
        });
    }

    @Test
    void resolveRejectsAnOptionWithoutValue() {
        assertThatIllegalArgumentException().isThrownBy(() -> resolve("--shm-path"))
            .withMessageContaining("--shm-path has no value");
        assertThatIllegalArgumentException().isThrownBy(() -> resolve("--addr="))
            .withMessageContaining("--addr has no value");
    }

    @Test
    void resolveRejectsAnInvalidPath() {
        this.environment.setProperty("rapace.shm.path", "bad\0path");
        assertThatIllegalArgumentException().isThrownBy(this::resolve)
            .withMessageContaining("property rapace.shm.path")
            .withMessageContaining("is not a valid file path");
    }

    private java.util.Optional<RapaceShmPath> resolve(String... args) {
        return new RapaceShmPathResolver(this.environment, new DefaultApplicationArguments(args)).resolve();
    }
}
