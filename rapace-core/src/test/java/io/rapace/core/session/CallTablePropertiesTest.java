package io.rapace.core.session;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link CallTable} behaves like a map from channel id to call, through growth and deletions. */
class CallTablePropertiesTest {

    /** One operation: put (0), remove (1), get (2) or get removing a {@code String} (3) on a channel id. */
    record Op(int kind, int channelId) {
    }

    @Property(tries = 300)
    void behavesLikeAMap(@ForAll("operations") List<Op> operations) {
        CallTable<CharSequence> table = new CallTable<>();
        Map<Integer, CharSequence> model = new HashMap<>();
        int version = 0;
        for (Op op : operations) {
            int id = op.channelId();
            switch (op.kind()) {
                case 0 -> {
                    // Two kinds of value, so that getRemovingIf removes one kind only.
                    CharSequence value = version % 2 == 0 ? id + "#" + version : new StringBuilder(id + "#" + version);
                    version++;
                    table.put(id, value);
                    model.put(id, value);
                }
                case 1 -> {
                    CharSequence current = model.get(id);
                    String wrong = "not-" + current;
                    assertThat(table.remove(id, wrong)).isFalse();
                    assertThat(table.remove(id, current)).isEqualTo(current != null);
                    model.remove(id);
                }
                case 2 -> assertThat(table.get(id)).isEqualTo(model.get(id));
                default -> {
                    CharSequence current = model.get(id);
                    assertThat(table.getRemovingIf(id, String.class)).isSameAs(current);
                    if (current instanceof String) {
                        model.remove(id);
                    }
                    assertThat(table.get(id)).isSameAs(model.get(id));
                }
            }
            assertThat(table.size()).isEqualTo(model.size());
            assertThat(table.isEmptyWithoutLock()).isEqualTo(model.isEmpty());
        }
        for (Map.Entry<Integer, CharSequence> entry : model.entrySet()) {
            assertThat(table.get(entry.getKey())).isEqualTo(entry.getValue());
            assertThat(table.containsKey(entry.getKey())).isTrue();
        }
        assertThat(table.snapshot()).containsExactlyInAnyOrderElementsOf(model.values());
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        // Small id ranges force collisions and long probe chains; odd and even like real channel ids.
        Arbitrary<Integer> ids = Arbitraries.oneOf(Arbitraries.integers().between(1, 300),
                Arbitraries.integers().map(i -> i == 0 ? 1 : i));
        Arbitrary<Op> op = net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 3), ids).as(Op::new);
        return op.list().ofMinSize(0).ofMaxSize(400);
    }
}
