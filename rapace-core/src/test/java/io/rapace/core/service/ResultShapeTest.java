package io.rapace.core.service;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ResultShape} names its wrapper types rather than loading them: each name must be that of the type itself,
 * and anything else, a subtype or a look-alike, is a plain value.
 */
class ResultShapeTest {

    @Test
    void eachWrapperTypeHasItsShape() {
        assertThat(ResultShape.of(CompletableFuture.class)).isEqualTo(ResultShape.COMPLETABLE_FUTURE);
        assertThat(ResultShape.of(CompletionStage.class)).isEqualTo(ResultShape.COMPLETION_STAGE);
        assertThat(ResultShape.of(Mono.class)).isEqualTo(ResultShape.MONO);
        assertThat(ResultShape.of(Flux.class)).isEqualTo(ResultShape.FLUX);
        assertThat(ResultShape.FLUX.isStreaming()).isTrue();
    }

    @Test
    void everythingElseIsAValue() {
        for (Class<?> type : List.of(void.class, int.class, String.class, List.class, Object.class,
                Flux.from(Mono.just(1)).getClass(), Mono.just(1).getClass())) {
            assertThat(ResultShape.of(type)).as(type.getName()).isEqualTo(ResultShape.VALUE);
        }
        assertThat(ResultShape.VALUE.isWrapper()).isFalse();
    }
}
