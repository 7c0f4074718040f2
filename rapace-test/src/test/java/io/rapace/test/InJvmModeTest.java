package io.rapace.test;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Host and plugin sessions in the test JVM over a real segment file. */
class InJvmModeTest {

    /** What the host serves to the plugin. */
    @io.rapace.core.service.RapaceService
    public interface Clock {
        long now();
    }

    @RegisterExtension
    static RapacePluginExtension plugin = RapacePluginExtension.inJvm(new GreeterImpl())
            .hostServices((Clock) () -> 42L);

    @Test
    void callsTheServiceOverTheSegment(Greeter greeter) {
        assertThat(greeter.greet("ann")).isEqualTo("hello ann");
        assertThat(greeter.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(plugin.segmentPath()).exists();
        assertThat(plugin.process()).isEmpty();
        assertThat(plugin.session().transport().stats()).isNotNull();
    }

    @Test
    void thePluginSideCallsTheHostsServices() {
        assertThat(plugin.pluginSideClient(Clock.class).now()).isEqualTo(42L);
    }
}
