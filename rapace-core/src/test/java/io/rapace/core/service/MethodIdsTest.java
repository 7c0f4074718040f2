package io.rapace.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapace.testsupport.SharedVectors;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MethodIdsTest {

    private static final JsonNode VECTORS = SharedVectors.vector("method-ids.json");

    @Test
    void methodIdMatchesEverySharedVector() {
        JsonNode cases = VECTORS.get("cases");
        assertThat(cases.size()).isPositive();
        for (JsonNode c : cases) {
            int id = MethodIds.methodId(c.get("service").asText(), c.get("method").asText());
            assertThat(Integer.toUnsignedLong(id))
                    .as(c.get("service").asText() + "." + c.get("method").asText())
                    .isEqualTo(SharedVectors.u64(c.get("id")));
        }
    }

    @Test
    void snakeCaseMatchesEverySharedMapping() {
        JsonNode mappings = VECTORS.get("java_name_mapping");
        assertThat(mappings.size()).isPositive();
        for (JsonNode m : mappings) {
            assertThat(MethodIds.toSnakeCase(m.get("java").asText())).as(m.get("java").asText())
                    .isEqualTo(m.get("wire").asText());
        }
    }

    @Test
    void snakeCaseEdgeCases() {
        assertThat(MethodIds.toSnakeCase("sha256Sum")).isEqualTo("sha256_sum");
        assertThat(MethodIds.toSnakeCase("getURL")).isEqualTo("get_url");
        assertThat(MethodIds.toSnakeCase("URLFor")).isEqualTo("url_for");
        assertThat(MethodIds.toSnakeCase("already_snake")).isEqualTo("already_snake");
        assertThat(MethodIds.toSnakeCase("x")).isEqualTo("x");
    }

    @Test
    void qualifiedNameJoinsWithADot() {
        assertThat(MethodIds.qualifiedName("Calculator", "add")).isEqualTo("Calculator.add");
    }
}
