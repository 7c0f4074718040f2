package io.rapace.core.service;

import io.rapace.core.session.MethodHandler;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/** Where {@link NonBlocking} may be declared, and what it applies to. */
class NonBlockingMethodsTest {

    interface Plain {
        int add(int a, int b);

        Flux<Integer> range(int n);
    }

    interface MarkedOnInterface {
        @NonBlocking
        int add(int a, int b);

        int slow(int a);
    }

    @NonBlocking
    interface WholeInterface {
        int add(int a, int b);

        Flux<Integer> range(int n);
    }

    static class Whole implements WholeInterface {
        @Override
        public int add(int a, int b) {
            return a + b;
        }

        @Override
        public Flux<Integer> range(int n) {
            return Flux.range(0, n);
        }
    }

    static class Unmarked implements Plain {
        @Override
        public int add(int a, int b) {
            return a + b;
        }

        @Override
        public Flux<Integer> range(int n) {
            return Flux.range(0, n);
        }
    }

    static class MarkedMethod extends Unmarked {
        @Override
        @NonBlocking
        public int add(int a, int b) {
            return a + b;
        }
    }

    @NonBlocking
    static class MarkedClass extends Unmarked {
    }

    /** What a subclass proxy (Spring's CGLIB) looks like: it overrides without the annotation. */
    static class ProxyOfMarkedMethod extends MarkedMethod {
        @Override
        public int add(int a, int b) {
            return super.add(a, b);
        }
    }

    @Test
    void plainMethodsAreBlocking() {
        assertThat(inline(Plain.class, new Unmarked(), "add")).isFalse();
    }

    @Test
    void annotationOnTheInterfaceMethodOrTheInterface() {
        MarkedOnInterface impl = new MarkedOnInterface() {
            @Override
            public int add(int a, int b) {
                return a + b;
            }

            @Override
            public int slow(int a) {
                return a;
            }
        };
        assertThat(inline(MarkedOnInterface.class, impl, "add")).isTrue();
        assertThat(inline(MarkedOnInterface.class, impl, "slow")).isFalse();
        assertThat(inline(WholeInterface.class, new Whole(), "add")).isTrue();
    }

    @Test
    void annotationOnTheImplementationMethodOrClassAlsoThroughASubclassProxy() {
        assertThat(inline(Plain.class, new MarkedMethod(), "add")).isTrue();
        assertThat(inline(Plain.class, new MarkedClass(), "add")).isTrue();
        assertThat(inline(Plain.class, new ProxyOfMarkedMethod(), "add")).isTrue();
    }

    @Test
    void streamingMethodsAlwaysRunOnHandlerThreads() {
        assertThat(inline(Plain.class, new MarkedClass(), "range")).isFalse();
        assertThat(inline(WholeInterface.class, new Whole(), "range")).isFalse();
    }

    private static boolean inline(Class<?> iface, Object impl, String javaName) {
        ServiceDefinition definition = ServiceDefinition.of(iface, impl);
        MethodDefinition method = definition.contract().methods().stream()
                .filter(m -> m.javaMethod().getName().equals(javaName)).findFirst().orElseThrow();
        MethodHandler handler = definition.dispatcher().lookup(method.id());
        assertThat(handler).isNotNull();
        return handler.isNonBlocking();
    }
}
