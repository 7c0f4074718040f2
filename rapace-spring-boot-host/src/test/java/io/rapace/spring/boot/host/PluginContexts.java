package io.rapace.spring.boot.host;

import java.util.ArrayList;
import java.util.List;

import io.rapace.spring.boot.host.autoconfigure.RapacePluginsAutoConfiguration;
import io.rapace.spring.boot.host.autoconfigure.RapacePluginsHealthAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Application contexts that supervise the {@link TestPluginMain} plugin under a given name. */
final class PluginContexts {

    private PluginContexts() {
    }

    /** A runner with plugin {@code name} running {@link TestPluginMain} in {@code mode}, short backoffs. */
    static ApplicationContextRunner runner(String name, String mode, String... more) {
        return runner(name, mode, TestPluginMain.command(), more);
    }

    /** {@link #runner(String, String, String...)} launching the plugin with {@code command}. */
    static ApplicationContextRunner runner(String name, String mode, List<String> command, String... more) {
        List<String> properties = new ArrayList<>();
        for (int i = 0; i < command.size(); i++) {
            properties.add("rapace.plugins." + name + ".command[" + i + "]=" + command.get(i));
        }
        properties.addAll(List.of(more));
        return withoutLaunchForm(name, mode, properties.toArray(String[]::new));
    }

    /**
     * A runner with plugin {@code name} serving in {@code mode}, short backoffs, and its launch form in
     * {@code more}.
     */
    static ApplicationContextRunner withoutLaunchForm(String name, String mode, String... more) {
        List<String> properties = new ArrayList<>();
        properties.add("rapace.plugins." + name + ".environment.TEST_PLUGIN_MODE=" + mode);
        properties.add("rapace.plugins." + name + ".clients=" + Adder.class.getName());
        properties.add("rapace.plugin-defaults.backoff.initial=100ms");
        properties.add("rapace.plugin-defaults.backoff.max=400ms");
        properties.add("rapace.plugin-defaults.start-timeout=30s");
        properties.add("rapace.plugin-defaults.stop-timeout=5s");
        properties.add("rapace.plugin-defaults.call-timeout=30s");
        properties.addAll(List.of(more));
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RapacePluginsAutoConfiguration.class,
                    RapacePluginsHealthAutoConfiguration.class))
            .withPropertyValues(properties.toArray(String[]::new));
    }
}
