package io.rapace.core.session;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DispatcherTest {

    @Test
    void noneKnowsNothing() {
        assertThat(Dispatcher.none().lookup(42)).isNull();
    }

    @Test
    void chainReturnsTheFirstNonNullHandlerInOrder() {
        MethodHandler first = call -> { };
        MethodHandler second = call -> { };
        Dispatcher a = id -> id == 1 ? first : null;
        Dispatcher b = id -> id == 1 || id == 2 ? second : null;
        Dispatcher chain = Dispatcher.chain(List.of(a, b));
        assertThat(chain.lookup(1)).isSameAs(first);
        assertThat(chain.lookup(2)).isSameAs(second);
        assertThat(chain.lookup(3)).isNull();
    }

    @Test
    void chainCopiesItsList() {
        List<Dispatcher> list = new ArrayList<>();
        Dispatcher chain = Dispatcher.chain(list);
        list.add(id -> call -> { });
        assertThat(chain.lookup(1)).isNull();
    }
}
