package io.rapace.spring.boot;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

import io.rapace.core.runtime.RapaceRuntimeException;
import io.rapace.core.runtime.ShmPathArguments;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.core.env.Environment;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Finds the segment path of a plugin, first match wins:
 * <ol>
 * <li>the {@code rapace.shm.path} property of the Spring environment (command line
 * {@code --rapace.shm.path=PATH}, environment variable {@code RAPACE_SHM_PATH}, configuration files);</li>
 * <li>the rapace host convention in the program arguments, parsed by {@link ShmPathArguments} (the one
 * parser of the convention): {@code --shm-path=PATH}, then {@code --addr=PATH}, then the first positional
 * argument.</li>
 * </ol>
 * A blank {@code rapace.shm.path} counts as unset; a host-convention option without a value is an error.
 */
public final class RapaceShmPathResolver {

    /** The Spring property that names the segment file. */
    public static final String PATH_PROPERTY = "rapace.shm.path";

    private final Environment environment;

    private final @Nullable ApplicationArguments arguments;

    /**
     * A resolver over an environment and, when the application was started by {@code SpringApplication},
     * its program arguments.
     */
    public RapaceShmPathResolver(Environment environment, @Nullable ApplicationArguments arguments) {
        Assert.notNull(environment, "'environment' must not be null");
        this.environment = environment;
        this.arguments = arguments;
    }

    /**
     * The program arguments that {@code SpringApplication} registered in the bean factory, without creating
     * any bean (safe to call from a condition).
     */
    public static @Nullable ApplicationArguments registeredArguments(@Nullable ConfigurableListableBeanFactory beanFactory) {
        if (beanFactory == null) {
            return null;
        }
        for (String name : beanFactory.getBeanNamesForType(ApplicationArguments.class, false, false)) {
            if (beanFactory.containsSingleton(name)
                    && beanFactory.getSingleton(name) instanceof ApplicationArguments arguments) {
                return arguments;
            }
        }
        return null;
    }

    /**
     * The segment path, or empty when none is configured.
     *
     * @throws IllegalArgumentException when a source carries an unusable value (an option without a
     *     value, or a string that is not a valid path), naming the source and the value
     */
    public Optional<RapaceShmPath> resolve() {
        String property = this.environment.getProperty(PATH_PROPERTY);
        if (StringUtils.hasText(property)) {
            return Optional.of(toPath(property.strip(), "property " + PATH_PROPERTY));
        }
        if (this.arguments == null) {
            return Optional.empty();
        }
        try {
            return ShmPathArguments.locate(this.arguments.getSourceArgs())
                .map((match) -> new RapaceShmPath(match.path(), match.origin()));
        }
        catch (RapaceRuntimeException ex) {
            throw new IllegalArgumentException("rapace: " + ex.getMessage(), ex);
        }
    }

    private static RapaceShmPath toPath(String value, String origin) {
        try {
            return new RapaceShmPath(Path.of(value), origin);
        }
        catch (InvalidPathException ex) {
            throw new IllegalArgumentException(
                    "rapace: " + origin + " '" + value + "' is not a valid file path: " + ex.getMessage(), ex);
        }
    }
}
