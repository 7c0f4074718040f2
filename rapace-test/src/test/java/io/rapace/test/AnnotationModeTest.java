package io.rapace.test;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The declarative form: {@code @RapacePluginTest(mainClass = ...)}. */
@RapacePluginTest(mainClass = GreeterPluginMain.class)
class AnnotationModeTest {

    @RapaceClient
    Greeter greeter;

    @Test
    void injectsClientsAndTheExtension(RapacePluginExtension plugin) {
        assertThat(this.greeter.greet("cy")).isEqualTo("hello cy");
        assertThat(this.greeter.pid()).isEqualTo(plugin.process().orElseThrow().pid());
    }
}
