package io.rapace.core.runtime;

import java.nio.file.Path;

import io.rapace.core.runtime.RapaceRuntimeException.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShmPathArgumentsTest {

    @Test
    void shmPathOption() {
        assertThat(ShmPathArguments.parse(new String[] {"--verbose", "--shm-path=/tmp/a.shm"}))
                .contains(Path.of("/tmp/a.shm"));
    }

    @Test
    void springStyleOption() {
        assertThat(ShmPathArguments.parse(new String[] {"--rapace.shm.path=/tmp/b.shm"})).contains(Path.of("/tmp/b.shm"));
    }

    @Test
    void addrOptionOfTheReferenceDemoHosts() {
        assertThat(ShmPathArguments.parse(new String[] {"--transport=shm", "--addr=/tmp/c.shm"}))
                .contains(Path.of("/tmp/c.shm"));
    }

    @Test
    void firstPositionalArgument() {
        assertThat(ShmPathArguments.parse(new String[] {"--flag", "/tmp/d.shm", "/tmp/other"}))
                .contains(Path.of("/tmp/d.shm"));
    }

    @Test
    void namedOptionWinsOverPositionalWhereverItAppears() {
        assertThat(ShmPathArguments.parse(new String[] {"/tmp/positional", "--shm-path=/tmp/named"}))
                .contains(Path.of("/tmp/named"));
        assertThat(ShmPathArguments.parse(new String[] {"--addr=/tmp/addr", "--shm-path=/tmp/named"}))
                .contains(Path.of("/tmp/named"));
    }

    @Test
    void noPathIsEmptyAndRequireNamesTheForms() {
        String[] args = {"--verbose"};
        assertThat(ShmPathArguments.parse(args)).isEmpty();
        assertThat(ShmPathArguments.parse(new String[0])).isEmpty();
        assertThatThrownBy(() -> ShmPathArguments.require(args)).isInstanceOfSatisfying(RapaceRuntimeException.class,
                ex -> {
                    assertThat(ex.kind()).isEqualTo(Kind.MISSING_ARGUMENT);
                    assertThat(ex.getMessage()).contains("--shm-path=PATH").contains("--verbose");
                });
    }

    @Test
    void emptyValueIsABadArgument() {
        assertThatThrownBy(() -> ShmPathArguments.parse(new String[] {"--shm-path="}))
                .isInstanceOfSatisfying(RapaceRuntimeException.class, ex -> {
                    assertThat(ex.kind()).isEqualTo(Kind.BAD_ARGUMENT);
                    assertThat(ex.getMessage()).contains("'--shm-path='");
                });
    }

    @Test
    void blankPositionalValueIsABadArgumentWithoutAnOptionHint() {
        assertThatThrownBy(() -> ShmPathArguments.parse(new String[] {" "}))
                .isInstanceOfSatisfying(RapaceRuntimeException.class, ex -> {
                    assertThat(ex.kind()).isEqualTo(Kind.BAD_ARGUMENT);
                    assertThat(ex.getMessage()).contains("empty segment path").doesNotContain("'='");
                });
    }

    @Test
    void invalidPathIsABadArgument() {
        assertThatThrownBy(() -> ShmPathArguments.require(new String[] {"--addr=/tmp/a\0b"}))
                .isInstanceOfSatisfying(RapaceRuntimeException.class, ex -> {
                    assertThat(ex.kind()).isEqualTo(Kind.BAD_ARGUMENT);
                    assertThat(ex.getMessage()).contains("invalid segment path");
                });
    }

    @Test
    void requireReturnsTheParsedPath() {
        assertThat(ShmPathArguments.require(new String[] {"/tmp/e.shm"})).isEqualTo(Path.of("/tmp/e.shm"));
    }

    @Test
    void aSingleDashWordIsNeitherAPathNorSkippedSilentlyWhenHelp() {
        assertThat(ShmPathArguments.parse(new String[] {"-h"})).isEmpty();
        assertThat(ShmPathArguments.parse(new String[] {"-v", "/tmp/e.shm"})).contains(Path.of("/tmp/e.shm"));
        assertThat(ShmPathArguments.isHelp(new String[] {"-h"})).isTrue();
        assertThat(ShmPathArguments.isHelp(new String[] {"/tmp/e.shm", "--help"})).isTrue();
        assertThat(ShmPathArguments.isHelp(new String[] {"/tmp/e.shm"})).isFalse();
        assertThat(ShmPathArguments.USAGE).contains("--shm-path=PATH").contains("host");
    }

    @Test
    void anOptionWithoutEqualsIsABadArgumentNamingTheForm() {
        assertThatThrownBy(() -> ShmPathArguments.parse(new String[] {"--shm-path", "/tmp/f.shm"}))
                .isInstanceOfSatisfying(RapaceRuntimeException.class, ex -> {
                    assertThat(ex.kind()).isEqualTo(Kind.BAD_ARGUMENT);
                    assertThat(ex.getMessage()).contains("--shm-path has no value").contains("--shm-path=PATH");
                });
    }

    @Test
    void locateNamesTheFormThatCarriedThePath() {
        assertThat(ShmPathArguments.locate(new String[] {"--addr=/tmp/g.shm"}))
                .contains(new ShmPathArguments.Match(Path.of("/tmp/g.shm"), "argument --addr"));
        assertThat(ShmPathArguments.locate(new String[] {"/tmp/h.shm"}))
                .contains(new ShmPathArguments.Match(Path.of("/tmp/h.shm"), "first positional argument"));
    }
}
