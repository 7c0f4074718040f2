package io.rapace.test.spring;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.rapace.core.operations.PluginHealth;
import io.rapace.spring.boot.RapaceSessionLifecycle;
import io.rapace.test.Greeter;
import io.rapace.test.GreeterImpl;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** The plugin's application context with a host in the test JVM, over a real segment. */
@RapaceSpringBootTest(classes = GreeterApplication.class)
class SpringBootModeTest {

    static final List<RapaceTestHost> hosts = new CopyOnWriteArrayList<>();

    static final List<Path> segments = new CopyOnWriteArrayList<>();

    @Autowired
    RapaceTestHost host;

    @Autowired
    ApplicationContext context;

    @Value("${rapace.shm.path}")
    String pathProperty;

    @Test
    void callsThePluginsRealBeanOverTheSegment() {
        Greeter greeter = this.host.client(Greeter.class);
        assertThat(greeter.greet("gil")).isEqualTo("hello gil");
        assertThat(this.context.getBeansOfType(GreeterImpl.class)).hasSize(1);
        assertThat(this.context.getBeansOfType(RapaceSessionLifecycle.class)).hasSize(1);
        assertThat(this.pathProperty).isEqualTo(this.host.path().toString());
        assertThat(this.host.path()).exists();
        assertThat(this.context.getEnvironment().getProperty("rapace.exit-on-host-exit")).isEqualTo("false");
    }

    @Test
    void readsThePluginsHealthOverTheSegment() {
        this.host.client(Greeter.class).greet("warm-up");
        PluginHealth health = this.host.operations().health();
        assertThat(health.status()).isEqualTo("UP");
    }

    /** Two classes with the same configuration share one context. */
    @RapaceSpringBootTest(classes = GreeterApplication.class)
    static class FirstCase {

        @Autowired
        RapaceTestHost host;

        @Test
        void records() {
            hosts.add(this.host);
        }
    }

    @RapaceSpringBootTest(classes = GreeterApplication.class)
    static class SecondCase {

        @Autowired
        RapaceTestHost host;

        @Test
        void records() {
            hosts.add(this.host);
        }
    }

    /** A context closed after its class takes its host and segment file with it. */
    @RapaceSpringBootTest(classes = GreeterApplication.class, properties = "dirty=true")
    @DirtiesContext
    static class DirtyCase {

        @Autowired
        RapaceTestHost host;

        @Test
        void records() {
            assertThat(this.host.client(Greeter.class).greet("hal")).isEqualTo("hello hal");
            segments.add(this.host.path());
        }
    }

    @Test
    void contextsAreCachedWithTheirHostAndAClosedContextRemovesItsSegment() {
        List<TestExecutionResult> results = new CopyOnWriteArrayList<>();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(
                selectClass(FirstCase.class), selectClass(SecondCase.class), selectClass(DirtyCase.class)).build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        results.add(result);
                    }
                });
        assertThat(results).isNotEmpty().allMatch(r -> r.getStatus() == TestExecutionResult.Status.SUCCESSFUL);
        assertThat(hosts).hasSize(2);
        assertThat(hosts.get(0)).isSameAs(hosts.get(1));
        assertThat(segments).singleElement().satisfies(segment -> assertThat(segment).doesNotExist());
    }
}
