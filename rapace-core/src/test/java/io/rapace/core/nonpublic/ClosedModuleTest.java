package io.rapace.core.nonpublic;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Supplier;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import io.rapace.core.service.ClientOptions;
import io.rapace.core.service.RapaceClients;
import io.rapace.core.service.ServiceDefinition;
import io.rapace.core.service.ServiceDefinitionException;
import io.rapace.core.service.SessionSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A package-private service interface in a named module that neither exports nor opens its package: rapace cannot
 * reach it, and says so when the service definition or the client is made, with what to do.
 */
class ClosedModuleTest {

    @TempDir
    static Path dir;

    private static ModuleLayer layer;

    /** Compiles module {@code closed.services} (no exports, no opens) and loads it in a layer of its own. */
    @BeforeAll
    static void compileTheModule() throws IOException {
        Path source = dir.resolve("src");
        write(source.resolve("module-info.java"), """
                module closed.services {
                    provides java.util.function.Supplier with hidden.Implementations;
                }
                """);
        write(source.resolve("hidden/Counter.java"), """
                package hidden;
                interface Counter {
                    int add(int a, int b);
                }
                """);
        write(source.resolve("hidden/Doubler.java"), """
                package hidden;
                interface Doubler {
                    int add(int a, int b);
                    default int twice(int a) { return add(a, a); }
                }
                """);
        write(source.resolve("hidden/Implementations.java"), """
                package hidden;
                public final class Implementations implements java.util.function.Supplier<Object> {
                    public Object get() {
                        return new Counter() { public int add(int a, int b) { return a + b; } };
                    }
                }
                """);
        Path classes = dir.resolve("classes");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> arguments = List.of("-d", classes.toString(), source.resolve("module-info.java").toString(),
                source.resolve("hidden/Counter.java").toString(), source.resolve("hidden/Doubler.java").toString(),
                source.resolve("hidden/Implementations.java").toString());
        assertThat(javac.run(null, null, null, arguments.toArray(String[]::new))).as("javac").isZero();
        Configuration configuration = ModuleLayer.boot().configuration().resolve(ModuleFinder.of(classes),
                ModuleFinder.of(), Set.of("closed.services"));
        layer = ModuleLayer.boot().defineModulesWithOneLoader(configuration, ClosedModuleTest.class.getClassLoader());
    }

    @Test
    void servingAnImplementationOfAClosedPackagePrivateInterfaceIsRefusedWithWhatToDo() throws Exception {
        Class<?> counter = type("hidden.Counter");
        Object implementation = ServiceLoader.load(layer, Supplier.class).findFirst().orElseThrow().get();
        assertThat(counter.isInstance(implementation)).isTrue();
        assertThatThrownBy(() -> ServiceDefinition.of(counter, implementation))
            .isInstanceOf(ServiceDefinitionException.class)
            .hasMessageContaining("cannot access Counter.add(int, int) of service Counter")
            .hasMessageContaining("hidden.Counter is not public and its package is not open to rapace")
            .hasMessageContaining("declare it `public interface Counter` in an exported package,"
                    + " or open its package (`opens hidden;` in module-info.java)");
    }

    @Test
    void aClientOfAClosedInterfaceWithADefaultMethodIsRefusedWithWhatToDo() throws Exception {
        Class<?> doubler = type("hidden.Doubler");
        assertThatThrownBy(() -> RapaceClients.create(doubler, SessionSource.perCall(() -> {
            throw new IllegalStateException("never called");
        }), ClientOptions.defaults()))
            .isInstanceOf(ServiceDefinitionException.class)
            .hasMessageContaining("a client cannot run the default method Doubler.twice(int)")
            .hasMessageContaining("declare it `public interface Doubler` in an exported package,"
                    + " or open its package (`opens hidden;` in module-info.java)");
    }

    @Test
    void aClientOfAClosedInterfaceWithoutDefaultMethodsNeedsNoAccess() throws Exception {
        Class<?> counter = type("hidden.Counter");
        Object client = RapaceClients.create(counter, SessionSource.perCall(() -> {
            throw new IllegalStateException("never called");
        }), ClientOptions.defaults());
        assertThat(counter.isInstance(client)).isTrue();
        assertThat(client.toString()).isEqualTo("RapaceClient[Counter (hidden.Counter)]");
        assertThat(Proxy.isProxyClass(client.getClass()))
            .as("a JDK proxy: no class can be defined in a package not open to rapace").isTrue();
    }

    private static Class<?> type(String name) throws ClassNotFoundException {
        return Class.forName(name, false, layer.findLoader("closed.services"));
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
