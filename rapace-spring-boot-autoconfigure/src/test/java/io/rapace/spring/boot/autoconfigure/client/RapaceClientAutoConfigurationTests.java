package io.rapace.spring.boot.autoconfigure.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.rapace.core.service.MethodIds;
import io.rapace.core.service.RapaceService;
import io.rapace.spring.boot.RapaceServiceBeans;
import io.rapace.spring.boot.autoconfigure.HostSegment;
import io.rapace.spring.boot.autoconfigure.RapaceAutoConfiguration;
import io.rapace.spring.boot.client.ImportRapaceClients;
import io.rapace.spring.boot.client.RapaceClientFactory;
import io.rapace.testsupport.logging.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class RapaceClientAutoConfigurationTests {

    // Contexts that fail on purpose log warnings (rapace, and Spring cancelling the refresh): captured, not printed.
    @RegisterExtension
    final LogCapture logs = LogCapture.of("io.rapace", "org.springframework");

    private final ApplicationContextRunner contextRunner = HostSegment.contextRunner(RapaceAutoConfiguration.class,
            RapaceClientAutoConfiguration.class);

    @RegisterExtension
    final HostSegment host = new HostSegment();

    @Test
    void withPathCreatesClientFactory() {
        this.contextRunner.withPropertyValues(this.host.pathProperty()).run((context) -> {
            RapaceClientFactory factory = context.getBean(RapaceClientFactory.class);
            HostLog log = factory.create(HostLog.class);
            assertThat(log.toString()).contains(HostLog.class.getName());
            assertThat(log).isEqualTo(log).isNotEqualTo(factory.create(HostLog.class));
        });
    }

    @Test
    void clientCallsReachTheHost() {
        RecordingHostLog hostLog = new RecordingHostLog();
        this.host.serve(hostLog);
        this.contextRunner.withPropertyValues(this.host.pathProperty())
            .withUserConfiguration(HostLogClientConfiguration.class)
            .run((context) -> {
                HostLog client = context.getBean("hostLogClient", HostLog.class);
                client.log("hello from the plugin");
                assertThat(hostLog.lines).containsExactly("hello from the plugin");
            });
    }

    @Test
    void aClientOfAPackagePrivateInterfaceReachesTheHost() {
        RecordingHostLog hostLog = new RecordingHostLog();
        this.host.serve(hostLog);
        this.contextRunner.withPropertyValues(this.host.pathProperty()).run((context) -> {
            QuietHostLog client = context.getBean(RapaceClientFactory.class).create(QuietHostLog.class);
            client.log("through a package-private interface");
            client.logTwice("and its default method");
            assertThat(hostLog.lines).containsExactly("through a package-private interface",
                    "and its default method", "and its default method");
        });
    }

    @Test
    void importedClientsAreInjectableAndReachTheHost() {
        RecordingHostLog hostLog = new RecordingHostLog();
        this.host.serve(hostLog);
        this.contextRunner.withPropertyValues(this.host.pathProperty())
            .withUserConfiguration(ImportedClientsConfiguration.class)
            .run((context) -> {
                assertThat(context).getBeanNames(HostLog.class).containsExactly("hostLog");
                context.getBean(HostLog.class).log("imported");
                assertThat(hostLog.lines).containsExactly("imported");
            });
    }

    @Test
    void clientsOfAnnotatedHostServicesAreNeverServed() {
        this.contextRunner.withPropertyValues(this.host.pathProperty())
            .withUserConfiguration(AnnotatedClientConfiguration.class)
            .run((context) -> {
                assertThat(context.getBean(AnnotatedHostLog.class)).isNotNull();
                assertThat(context.getBean(RapaceServiceBeans.class).implementations()).isEmpty();
                assertThat(context.getBean(RapaceServiceBeans.class).dispatcher()
                    .lookup(MethodIds.methodId("AnnotatedHostLog", "log"))).isNull();
            });
    }

    @Test
    void importedClientsWithoutPathFailClearlyWhenCalled() {
        this.contextRunner.withUserConfiguration(ImportedClientsConfiguration.class).run((context) -> {
            HostLog log = context.getBean(HostLog.class);
            assertThatIllegalStateException().isThrownBy(() -> log.log("x")).withMessageContaining("rapace.shm.path");
        });
    }

    @Test
    void withoutPathCreatesNoClientFactory() {
        this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(RapaceClientFactory.class));
    }

    @Test
    void userDefinedFactoryBacksOff() {
        RapaceClientFactory custom = new RapaceClientFactory(() -> {
            throw new IllegalStateException("no session");
        });
        this.contextRunner.withPropertyValues(this.host.pathProperty())
            .withBean(RapaceClientFactory.class, () -> custom)
            .run((context) -> assertThat(context).getBean(RapaceClientFactory.class).isSameAs(custom));
    }

    @Test
    void callWithoutSessionFailsClearly() {
        RapaceClientFactory factory = new RapaceClientFactory(() -> {
            throw new IllegalStateException("rapace: the session is not running");
        });
        HostLog log = factory.create(HostLog.class);
        assertThatIllegalStateException().isThrownBy(() -> log.log("hello")).withMessageContaining("not running");
    }

    @Test
    void createRejectsAClass() {
        RapaceClientFactory factory = new RapaceClientFactory(() -> {
            throw new IllegalStateException("unused");
        });
        assertThatIllegalArgumentException().isThrownBy(() -> factory.create(String.class))
            .withMessageContaining("must be an interface");
    }

    @Configuration(proxyBeanMethods = false)
    static class HostLogClientConfiguration {

        @Bean
        HostLog hostLogClient(RapaceClientFactory clients) {
            return clients.create(HostLog.class);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportRapaceClients(HostLog.class)
    static class ImportedClientsConfiguration {

    }

    @Configuration(proxyBeanMethods = false)
    @ImportRapaceClients(AnnotatedHostLog.class)
    static class AnnotatedClientConfiguration {

    }

    /** A host service whose interface carries the annotation, as a client's view often does. */
    @RapaceService
    public interface AnnotatedHostLog {

        /** Logs a line on the host. */
        void log(String line);
    }

    /** The host's implementation, remembering every line. */
    @RapaceService
    public static class RecordingHostLog implements HostLog {

        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void log(String line) {
            this.lines.add(line);
        }
    }

    /** The host's {@code HostLog} as a package-private interface of the plugin sees it. */
    @RapaceService("HostLog")
    interface QuietHostLog {

        void log(String line);

        default void logTwice(String line) {
            log(line);
            log(line);
        }
    }

    /** A host service. */
    public interface HostLog {

        /** Logs a line on the host. */
        void log(String line);
    }
}
