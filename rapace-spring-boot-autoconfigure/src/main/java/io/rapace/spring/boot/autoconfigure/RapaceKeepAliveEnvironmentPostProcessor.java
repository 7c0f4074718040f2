package io.rapace.spring.boot.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.rapace.core.runtime.ShmPathArguments;
import io.rapace.spring.boot.RapaceShmPathResolver;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.util.StringUtils;

/**
 * Defaults {@code spring.main.keep-alive} to true in a plugin that has a segment path, so that Spring Boot keeps
 * the JVM alive while the context runs: a plugin has no web server, and the session's threads are daemons. The
 * default is the last property source, so {@code spring.main.keep-alive=false} anywhere else wins. Without a
 * segment path (or with {@code --help}) nothing is set and the application ends when {@code main} returns.
 * Registered in {@code META-INF/spring.factories}.
 */
final class RapaceKeepAliveEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    /** The name of the property source that carries the default. */
    static final String PROPERTY_SOURCE_NAME = "rapaceKeepAlive";

    static final String KEEP_ALIVE_PROPERTY = "spring.main.keep-alive";

    @Override
    public int getOrder() {
        // After the configuration files are loaded, so that rapace.shm.path from application.properties counts.
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (hasSegmentPath(environment)) {
            environment.getPropertySources()
                .addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of(KEEP_ALIVE_PROPERTY, "true")));
        }
    }

    private static boolean hasSegmentPath(ConfigurableEnvironment environment) {
        String[] args = commandLine(environment);
        if (ShmPathArguments.isHelp(args)) {
            return false;
        }
        try {
            return new RapaceShmPathResolver(environment, new DefaultApplicationArguments(args)).resolve().isPresent();
        }
        catch (IllegalArgumentException ex) {
            // A bad value: the auto-configuration's condition reports it when the context starts.
            return false;
        }
    }

    /**
     * The program arguments as far as the command-line property source keeps them: {@code --name=value} options
     * and the positional arguments. Enough for the launch convention, whose options all take a value.
     */
    static String[] commandLine(ConfigurableEnvironment environment) {
        PropertySource<?> source = environment.getPropertySources()
            .get(CommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME);
        if (!(source instanceof CommandLinePropertySource<?> commandLine)) {
            return new String[0];
        }
        List<String> args = new ArrayList<>();
        for (String name : commandLine.getPropertyNames()) {
            if (!name.equals(CommandLinePropertySource.DEFAULT_NON_OPTION_ARGS_PROPERTY_NAME)) {
                @Nullable String value = commandLine.getProperty(name);
                args.add(StringUtils.hasLength(value) ? "--" + name + "=" + value : "--" + name);
            }
        }
        @Nullable String positional = commandLine.getProperty(CommandLinePropertySource.DEFAULT_NON_OPTION_ARGS_PROPERTY_NAME);
        if (StringUtils.hasLength(positional)) {
            args.addAll(StringUtils.commaDelimitedListToSet(positional));
        }
        return args.toArray(String[]::new);
    }
}
