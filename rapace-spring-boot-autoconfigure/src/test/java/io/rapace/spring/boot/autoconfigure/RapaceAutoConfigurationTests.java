package io.rapace.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.rapace.core.ErrorCode;
import io.rapace.core.codec.Codecs;
import io.rapace.core.codec.PostcardCodec;
import io.rapace.core.service.MethodIds;
import io.rapace.core.service.RapaceService;
import io.rapace.core.service.ServiceDefinition;
import io.rapace.core.service.ServiceDefinitionException;
import io.rapace.core.session.Dispatcher;
import io.rapace.core.session.MethodHandler;
import io.rapace.core.session.ServerCall;
import io.rapace.core.session.SessionOptions;
import io.rapace.spring.boot.ApplicationExitingHostExitHandler;
import io.rapace.spring.boot.LoggingHostExitHandler;
import io.rapace.spring.boot.RapaceHostExitHandler;
import io.rapace.spring.boot.RapaceServiceBeans;
import io.rapace.spring.boot.RapaceSessionEvent;
import io.rapace.spring.boot.RapaceSessionLifecycle;
import io.rapace.spring.boot.RapaceSessionStartedEvent;
import io.rapace.spring.boot.RapaceSessionStoppedEvent;
import io.rapace.spring.boot.RapaceShmPath;
import io.rapace.spring.boot.RapaceTransportFactory;
import io.rapace.spring.boot.autoconfigure.scan.ComponentEcho;
import io.rapace.spring.boot.autoconfigure.scan.ScannedCalculator;
import io.rapace.testsupport.logging.LogCapture;
import io.rapace.transport.shm.PeerRole;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import org.aopalliance.intercept.MethodInterceptor;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.NameMatchMethodPointcutAdvisor;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

@ExtendWith(OutputCaptureExtension.class)
class RapaceAutoConfigurationTests {

    // Contexts that fail on purpose log warnings (rapace, and Spring cancelling the refresh): captured, not printed.
    @RegisterExtension
    final LogCapture logs = LogCapture.of("io.rapace", "org.springframework");

    private final ApplicationContextRunner contextRunner = HostSegment.contextRunner(
            RapaceServiceScanAutoConfiguration.class, RapaceAutoConfiguration.class);

    @RegisterExtension
    final HostSegment host = new HostSegment();

    @Test
    void withoutPathCreatesNoRapaceBean() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(RapaceSessionLifecycle.class);
            assertThat(context).doesNotHaveBean(RapaceTransportFactory.class);
            assertThat(context).doesNotHaveBean(RapaceProperties.class);
        });
        assertThat(this.logs.messages()).as("a plugin started without a segment says so")
            .contains(OnRapaceShmPathCondition.NOT_STARTING_MESSAGE);
    }

    @Test
    void withoutPathLogsOneWarningWithAHint() {
        // Commons Logging goes to java.util.logging on this test class path.
        Logger logger = Logger.getLogger(RapaceAutoConfiguration.class.getName());
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            this.contextRunner.run((context) -> assertThat(context).hasNotFailed());
        }
        finally {
            logger.removeHandler(handler);
        }
        assertThat(records).singleElement().satisfies((record) -> {
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(record.getMessage()).isEqualTo(OnRapaceShmPathCondition.NOT_STARTING_MESSAGE)
                .contains("its host starts it")
                .contains("--help");
        });
    }

    @Test
    void withBlankPathPropertyCreatesNoRapaceBean() {
        this.contextRunner.withPropertyValues("rapace.shm.path= ")
            .run((context) -> assertThat(context).doesNotHaveBean(RapaceSessionLifecycle.class));
    }

    @Test
    void withPathPropertyOpensTheSegmentAndStartsTheSession() {
        this.contextRunner.withPropertyValues(this.host.pathProperty()).run((context) -> {
            assertThat(context).doesNotHaveBean(ShmTransport.class);
            assertThat(context).doesNotHaveBean(Dispatcher.class);
            assertThat(context).doesNotHaveBean(SessionOptions.class);
            ShmTransport transport = context.getBean(RapaceSessionLifecycle.class).transport();
            assertThat(transport.role()).isEqualTo(PeerRole.PLUGIN);
            assertThat(transport.config()).isEqualTo(HostSegment.CONFIG);
            assertThat(context.getBean(RapaceShmPath.class).origin()).isEqualTo("property rapace.shm.path");
            RapaceSessionLifecycle lifecycle = context.getBean(RapaceSessionLifecycle.class);
            assertThat(lifecycle.isRunning()).isTrue();
            assertThat(lifecycle.session().role()).isEqualTo(PeerRole.PLUGIN);
        });
    }

    @Test
    void stoppingTheContextClosesTheSessionAndTheSegment() {
        AtomicReference<@Nullable ShmTransport> transport = new AtomicReference<>();
        this.contextRunner.withPropertyValues(this.host.pathProperty())
            .run((context) -> transport.set(context.getBean(RapaceSessionLifecycle.class).transport()));
        assertThat(transport.get()).isNotNull();
        assertThat(transport.get().isClosed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "--shm-path=%s", "--addr=%s", "%s" })
    void withHostConventionArgumentOpensTheSegment(String argument) {
        String[] args = { "--transport=shm", argument.formatted(this.host.path()) };
        this.contextRunner
            .withInitializer((context) -> context.getBeanFactory()
                .registerSingleton("springApplicationArguments", new DefaultApplicationArguments(args)))
            .run((context) -> {
                assertThat(context).hasSingleBean(RapaceSessionLifecycle.class);
                assertThat(context.getBean(RapaceShmPath.class).path()).isEqualTo(this.host.path());
                assertThat(context.getBean(RapaceSessionLifecycle.class).transport().path())
                    .isEqualTo(this.host.path());
            });
    }

    @ParameterizedTest
    @ValueSource(strings = { "--help", "-h" })
    void helpPrintsTheLaunchConventionAndStartsNothing(String help, CapturedOutput output) {
        this.contextRunner
            .withInitializer((context) -> context.getBeanFactory()
                .registerSingleton("springApplicationArguments", new DefaultApplicationArguments(help)))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(RapaceSessionLifecycle.class);
            });
        assertThat(output.getOut()).contains("This program is a rapace plugin").contains("--shm-path=PATH");
    }

    @Test
    void aSingleDashWordIsNotTakenForTheSegmentPath() {
        this.contextRunner
            .withInitializer((context) -> context.getBeanFactory()
                .registerSingleton("springApplicationArguments", new DefaultApplicationArguments("-v")))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(RapaceSessionLifecycle.class);
            });
    }

    @Test
    void withoutPathArgumentCreatesNoRapaceBean() {
        this.contextRunner
            .withInitializer((context) -> context.getBeanFactory()
                .registerSingleton("springApplicationArguments", new DefaultApplicationArguments("--debug=false")))
            .run((context) -> assertThat(context).doesNotHaveBean(RapaceSessionLifecycle.class));
    }

    @Test
    void propertiesReachTheTransportAndTheSession() {
        this.contextRunner
            .withPropertyValues(this.host.pathProperty(), "rapace.shm.wait-timeout=1500ms",
                    "rapace.liveness-timeout=7s", "rapace.call-timeout=45s", "rapace.shutdown-grace-period=2s")
            .run((context) -> {
                ShmOptions options = context.getBean(RapaceTransportFactory.class).options();
                assertThat(options.openTimeout()).isEqualTo(Duration.ofMillis(1500));
                assertThat(options.livenessTimeout()).isEqualTo(Duration.ofSeconds(7));
                SessionOptions session = context.getBean(RapaceSessionLifecycle.class).session().options();
                assertThat(session.defaultCallTimeout()).isEqualTo(Duration.ofSeconds(45));
                assertThat(session.closeGrace()).isEqualTo(Duration.ofSeconds(2));
            });
    }

    @Test
    void matchingGeometryPropertiesAreAccepted() {
        this.contextRunner
            .withPropertyValues(this.host.pathProperty(), "rapace.shm.ring-capacity=64",
                    "rapace.shm.slot-size=4KB", "rapace.shm.slot-count=32")
            .run((context) -> assertThat(context).hasSingleBean(RapaceSessionLifecycle.class));
    }

    @Test
    void differingGeometryPropertyFailsNamingBothGeometries() {
        this.contextRunner.withPropertyValues(this.host.pathProperty(), "rapace.shm.slot-count=128")
            .run((context) -> assertThat(context).getFailure()
                .rootCause()
                .hasMessageContaining("slot count=32")
                .hasMessageContaining("rapace.shm.slot-count=128"));
    }

    @Test
    void missingSegmentFailsAfterTheWaitTimeout() {
        this.contextRunner
            .withPropertyValues("rapace.shm.path=" + this.host.directory().resolve("absent.shm"),
                    "rapace.shm.wait-timeout=200ms")
            .run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("absent.shm"));
    }

    @Test
    void hostExitHandlerExitsTheApplicationByDefault() {
        new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(RapaceServicesAutoConfiguration.class, RapaceAutoConfiguration.class))
            .withPropertyValues(this.host.pathProperty())
            .withBean(RapaceSessionLifecycle.class, () -> mock(RapaceSessionLifecycle.class))
            .run((context) -> assertThat(context).getBean(RapaceHostExitHandler.class)
                .isInstanceOf(ApplicationExitingHostExitHandler.class));
    }

    @Test
    void hostExitHandlerOnlyLogsWhenExitIsDisabled() {
        this.contextRunner.withPropertyValues(this.host.pathProperty())
            .run((context) -> assertThat(context).getBean(RapaceHostExitHandler.class)
                .isInstanceOf(LoggingHostExitHandler.class));
    }

    @Test
    void userDefinedBeansBackOff() {
        RapaceHostExitHandler exitHandler = (exit) -> {
        };
        RapaceShmPath path = new RapaceShmPath(this.host.path(), "test");
        RapaceTransportFactory transportFactory = RapaceAutoConfiguration.transportFactory(new RapaceProperties());
        this.contextRunner.withPropertyValues("rapace.shm.path=/elsewhere")
            .withBean(RapaceHostExitHandler.class, () -> exitHandler)
            .withBean(RapaceShmPath.class, () -> path)
            .withBean(RapaceTransportFactory.class, () -> transportFactory)
            .run((context) -> {
                assertThat(context).getBean(RapaceHostExitHandler.class).isSameAs(exitHandler);
                assertThat(context).getBean(RapaceShmPath.class).isSameAs(path);
                assertThat(context).getBean(RapaceTransportFactory.class).isSameAs(transportFactory);
                assertThat(context.getBean(RapaceSessionLifecycle.class).transport().path())
                    .isEqualTo(this.host.path());
            });
    }

    @Test
    void userDefinedLifecycleBacksOffByName() {
        RapaceSessionLifecycle lifecycle = mock(RapaceSessionLifecycle.class);
        this.contextRunner.withPropertyValues(this.host.pathProperty())
            .withBean("rapaceSessionLifecycle", RapaceSessionLifecycle.class, () -> lifecycle)
            .run((context) -> assertThat(context).getBean(RapaceSessionLifecycle.class).isSameAs(lifecycle));
    }

    @Test
    void lifecycleOfAnotherNameDoesNotReplaceThePluginsOwn() {
        RapaceSessionLifecycle other = mock(RapaceSessionLifecycle.class);
        this.contextRunner.withPropertyValues(this.host.pathProperty())
            .withBean("otherLifecycle", RapaceSessionLifecycle.class, () -> other)
            .run((context) -> {
                assertThat(context).getBeanNames(RapaceSessionLifecycle.class)
                    .containsExactlyInAnyOrder("otherLifecycle", "rapaceSessionLifecycle");
                assertThat(context.getBean("rapaceSessionLifecycle", RapaceSessionLifecycle.class).isRunning())
                    .isTrue();
            });
    }

    @Test
    void dispatcherAndSessionOptionsBeansAreNotPickedUp() {
        Dispatcher dispatcher = (methodId) -> null;
        SessionOptions options = SessionOptions.defaults().withSendTimeout(Duration.ofSeconds(9));
        this.contextRunner.withPropertyValues(this.host.pathProperty())
            .withBean(PoliteGreeter.class, PoliteGreeter::new)
            .withBean(Dispatcher.class, () -> dispatcher)
            .withBean(SessionOptions.class, () -> options)
            .run((context) -> {
                SessionOptions used = context.getBean(RapaceSessionLifecycle.class).session().options();
                assertThat(used).isNotSameAs(options);
                assertThat(used.sendTimeout()).isNotEqualTo(Duration.ofSeconds(9));
                assertThat(used.dispatcher()).isNotSameAs(dispatcher);
                assertThat(greet(context, "Greeter", "Ann")).isEqualTo("good day Ann");
            });
    }

    @Test
    void sessionOptionsCustomizersApplyInOrder() {
        this.contextRunner.withPropertyValues(this.host.pathProperty())
            .withUserConfiguration(CustomizerConfiguration.class)
            .run((context) -> assertThat(
                    context.getBean(RapaceSessionLifecycle.class).session().options().sendTimeout())
                .isEqualTo(Duration.ofSeconds(2)));
    }

    @Test
    void lifecycleEventsReachApplicationListeners() {
        this.contextRunner.withPropertyValues(this.host.pathProperty())
            .withBean(EventRecorder.class, EventRecorder::new)
            .run((context) -> {
                EventRecorder recorder = context.getBean(EventRecorder.class);
                assertThat(recorder.events).singleElement().isInstanceOf(RapaceSessionStartedEvent.class);
                context.getBean(RapaceSessionLifecycle.class).stop();
                assertThat(recorder.events).last().isInstanceOf(RapaceSessionStoppedEvent.class);
            });
    }

    @Test
    void servicesAreChainedInOrderOrder() {
        this.contextRunner.withPropertyValues(this.host.pathProperty())
            .withBean("second", PoliteGreeter.class, PoliteGreeter::new)
            .withBean("first", CasualGreeter.class, CasualGreeter::new)
            .run((context) -> {
                assertThat(context.getBean(RapaceServiceBeans.class).implementations())
                    .extracting((service) -> service.getClass().getSimpleName())
                    .containsExactly("CasualGreeter", "PoliteGreeter");
                assertThat(greet(context, "Greeter", "Ann")).isEqualTo("hi Ann");
            });
    }

    @Test
    void classBasedProxyIsServedThroughItsAdviceAsItsTargetDeclares() {
        this.contextRunner.withPropertyValues(this.host.pathProperty())
            .withUserConfiguration(ClassProxiedGreeterConfiguration.class)
            .run((context) -> {
                Object proxied = context.getBean("welcomeGreeter");
                assertThat(AopUtils.isCglibProxy(proxied)).isTrue();
                assertThat(context.getBean(RapaceServiceBeans.class).definitions()).singleElement()
                    .satisfies((definition) -> {
                        assertThat(definition.serviceName()).isEqualTo("Welcome");
                        assertThat(definition.serviceInterface()).isEqualTo(Greeter.class);
                        assertThat(definition.implementation()).isSameAs(proxied);
                    });
                assertThat(greet(context, "Welcome", "Ann")).isEqualTo("[advised] welcome Ann");
            });
    }

    @Test
    void aBeanImplementingAPackagePrivateInterfaceIsServed() {
        this.contextRunner.withPropertyValues(this.host.pathProperty())
            .withBean("quiet", QuietGreeter.class, QuietGreeter::new)
            .withBean("advisedQuiet", AdvisedQuietGreeter.class, () -> advised(new AdvisedQuietGreeter(), true))
            .run((context) -> {
                assertThat(context.getBean(RapaceServiceBeans.class).definitions())
                    .extracting(ServiceDefinition::serviceInterface)
                    .containsOnly(Hush.class);
                assertThat(greet(context, "Hush", "Ann")).isEqualTo("psst Ann");
                assertThat(greet(context, "AdvisedHush", "Ann")).isEqualTo("[advised] sh Ann");
            });
    }

    @Test
    void interfaceBasedProxiesAreOrderedByTheirTargetClassAndServedThroughTheirAdvice() {
        this.contextRunner.withPropertyValues(this.host.pathProperty())
            .withUserConfiguration(InterfaceProxyConfiguration.class)
            .withBean("second", PoliteGreeter.class, PoliteGreeter::new)
            .withBean("first", CasualGreeter.class, CasualGreeter::new)
            .run((context) -> {
                assertThat(AopUtils.isJdkDynamicProxy(context.getBean("first"))).isTrue();
                assertThat(context.getBean(RapaceServiceBeans.class).implementations())
                    .containsExactly(context.getBean("first"), context.getBean("second"));
                assertThat(greet(context, "Greeter", "Ann")).isEqualTo("[advised] hi Ann");
            });
    }

    @Test
    void interfaceBasedProxyThatWouldLoseTheServiceNameFailsClearly() {
        this.contextRunner.withPropertyValues(this.host.pathProperty())
            .withUserConfiguration(InterfaceProxyConfiguration.class)
            .withBean("welcome", WelcomeGreeter.class, WelcomeGreeter::new)
            .run((context) -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                .hasMessageContaining("bean 'welcome' is an interface-based proxy of " + WelcomeGreeter.class.getName())
                .hasMessageContaining("serves \"Welcome\"")
                .hasMessageContaining("would be named \"Greeter\""));
    }

    @Test
    void serviceOrderHonoursOrderedAndBeanMethodOrder() {
        this.contextRunner.withPropertyValues(this.host.pathProperty())
            .withBean("second", PoliteGreeter.class, PoliteGreeter::new)
            .withUserConfiguration(OrderedGreeterConfiguration.class)
            .withBean("first", CasualGreeter.class, CasualGreeter::new)
            .run((context) -> assertThat(context.getBean(RapaceServiceBeans.class).implementations())
                .extracting((service) -> ((Greeter) service).greet("x"))
                .containsExactly("ordered x", "hi x", "good day x", "hey x"));
    }

    @Test
    void serviceScanRegistersAnnotatedClassesOnce() {
        this.contextRunner.withPropertyValues(this.host.pathProperty())
            .withUserConfiguration(ScanConfiguration.class)
            .run((context) -> {
                assertThat(context).hasSingleBean(ScannedCalculator.class);
                assertThat(context).hasSingleBean(ComponentEcho.class);
                assertThat(context.getBean(RapaceServiceBeans.class).implementations()).hasSize(2);
                assertThat(context.getBean(RapaceServiceBeans.class).dispatcher()
                    .lookup(MethodIds.methodId("TestCalculator", "add"))).isNotNull();
            });
    }

    @Test
    void serviceScanLeavesClassesDeclaredByBeanMethodsAlone() {
        this.contextRunner.withUserConfiguration(ScanConfiguration.class, ExplicitCalculatorConfiguration.class)
            .run((context) -> assertThat(context).getBeanNames(ScannedCalculator.class)
                .containsExactly("explicitCalculator"));
    }

    @Test
    void aBrokenServiceDefinitionFailsTheStartEvenWithoutAPath() {
        this.contextRunner.withBean(BrokenService.class, BrokenService::new)
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).isInstanceOf(ServiceDefinitionException.class)
                    .hasMessageContaining("Broken.numbers()")
                    .hasMessageContaining("use a List");
            });
    }

    @Test
    void serviceScanWorksWithoutPath() {
        this.contextRunner.withUserConfiguration(ScanConfiguration.class)
            .run((context) -> {
                assertThat(context).hasSingleBean(ScannedCalculator.class);
                assertThat(context).doesNotHaveBean(RapaceSessionLifecycle.class);
            });
    }

    @Test
    void serviceScanCanBeDisabled() {
        this.contextRunner.withPropertyValues("rapace.service-scan.enabled=false")
            .withUserConfiguration(ScanConfiguration.class)
            .run((context) -> {
                assertThat(context).doesNotHaveBean(ScannedCalculator.class);
                assertThat(context).hasSingleBean(ComponentEcho.class);
            });
    }

    /** A service interface with one method. */
    public interface Greeter {

        /** Greets. */
        String greet(String name);
    }

    /** Greets with a fixed salutation. */
    public abstract static class SalutingGreeter implements Greeter {

        private final String salutation;

        SalutingGreeter(String salutation) {
            this.salutation = salutation;
        }

        @Override
        public String greet(String name) {
            return this.salutation + " " + name;
        }
    }

    /** Ordered second. */
    @RapaceService("Greeter")
    @Order(2)
    public static class PoliteGreeter extends SalutingGreeter {

        public PoliteGreeter() {
            super("good day");
        }
    }

    /** Ordered first: wins the method. */
    @RapaceService("Greeter")
    @Order(1)
    public static class CasualGreeter extends SalutingGreeter {

        public CasualGreeter() {
            super("hi");
        }
    }

    /** Unordered class, ordered by its {@code @Bean} method. */
    @RapaceService("Greeter")
    public static class LoudGreeter extends SalutingGreeter {

        public LoudGreeter() {
            super("hey");
        }
    }

    /** Ordered through {@link Ordered}. */
    @RapaceService(value = "Greeter", iface = Greeter.class)
    public static class OrderedGreeter implements Greeter, Ordered {

        @Override
        public String greet(String name) {
            return "ordered " + name;
        }

        @Override
        public int getOrder() {
            return 0;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OrderedGreeterConfiguration {

        @Bean
        @Order(5)
        LoudGreeter loudGreeter() {
            return new LoudGreeter();
        }

        @Bean
        OrderedGreeter orderedGreeter() {
            return new OrderedGreeter();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = ScannedCalculator.class)
    @org.springframework.context.annotation.ComponentScan(basePackageClasses = ScannedCalculator.class)
    static class ScanConfiguration {

    }

    @Configuration(proxyBeanMethods = false)
    static class ExplicitCalculatorConfiguration {

        @Bean
        ScannedCalculator explicitCalculator() {
            return new ScannedCalculator();
        }
    }

    /** Records the rapace session events that the context publishes. */
    static class EventRecorder {

        final List<RapaceSessionEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(RapaceSessionEvent event) {
            this.events.add(event);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomizerConfiguration {

        @Bean
        @Order(2)
        RapaceSessionOptionsCustomizer second() {
            return (options) -> options.withSendTimeout(Duration.ofSeconds(2));
        }

        @Bean
        @Order(1)
        RapaceSessionOptionsCustomizer first() {
            return (options) -> options.withSendTimeout(Duration.ofSeconds(1));
        }
    }

    /** Names its own service, so that a proxy must keep the target's annotation. */
    @RapaceService("Welcome")
    public static class WelcomeGreeter extends SalutingGreeter {

        public WelcomeGreeter() {
            super("welcome");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ClassProxiedGreeterConfiguration {

        @Bean
        WelcomeGreeter welcomeGreeter() {
            return advised(new WelcomeGreeter(), true);
        }
    }

    /** Wraps every {@link Greeter} bean in an interface-based (JDK) proxy, as an auto-proxy creator would. */
    @Configuration(proxyBeanMethods = false)
    static class InterfaceProxyConfiguration {

        @Bean
        static BeanPostProcessor greeterProxies() {
            return new BeanPostProcessor() {

                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    return (bean instanceof Greeter) ? advised(bean, false) : bean;
                }
            };
        }
    }

    /** A proxy of {@code target} whose advice marks every greeting with {@code [advised]}. */
    @SuppressWarnings("unchecked")
    static <T> T advised(T target, boolean proxyTargetClass) {
        NameMatchMethodPointcutAdvisor advisor = new NameMatchMethodPointcutAdvisor(
                (MethodInterceptor) (invocation) -> "[advised] " + invocation.proceed());
        advisor.setMappedName("greet");
        ProxyFactory factory = new ProxyFactory(target);
        factory.setProxyTargetClass(proxyTargetClass);
        factory.addAdvisor(advisor);
        return (T) factory.getProxy();
    }

    /** Calls {@code service.greet(name)} through the context's dispatcher, as the host would. */
    private static String greet(ApplicationContext context, String service, String name) throws Exception {
        MethodHandler handler = context.getBean(RapaceSessionLifecycle.class).session().options().dispatcher()
            .lookup(MethodIds.methodId(service, "greet"));
        assertThat(handler).as("handler of %s.greet", service).isNotNull();
        PostcardCodec<String> strings = Codecs.of(String.class);
        RecordingCall call = new RecordingCall(Codecs.encode(strings, name));
        handler.handle(call);
        assertThat(call.response).isNotNull();
        return Codecs.decode(strings, call.response);
    }

    /** A server call that remembers the response. */
    static final class RecordingCall implements ServerCall {

        private final byte[] request;

        byte @Nullable [] response;

        RecordingCall(byte[] request) {
            this.request = request;
        }

        @Override
        public int channelId() {
            return 1;
        }

        @Override
        public int methodId() {
            return 0;
        }

        @Override
        public byte[] requestPayload() {
            return this.request;
        }

        @Override
        public long deadlineNs() {
            return -1;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public void onCancel(Runnable action) {
        }

        @Override
        public boolean isEnded() {
            return this.response != null;
        }

        @Override
        public void respond(byte[] payload) {
            this.response = payload;
        }

        @Override
        public void sendItem(byte[] payload) {
            throw new AssertionError("unexpected stream item");
        }

        @Override
        public void complete() {
            throw new AssertionError("unexpected stream end");
        }

        @Override
        public void fail(ErrorCode code, String message) {
            throw new AssertionError("unexpected failure " + code + ": " + message);
        }
    }


    /** A package-private service interface. */
    interface Hush {

        String greet(String name);
    }

    /** Serves the package-private {@link Hush}. */
    @RapaceService
    static class QuietGreeter implements Hush {

        @Override
        public String greet(String name) {
            return "psst " + name;
        }
    }

    /** Serves the package-private {@link Hush} under another name, behind a class-based proxy. */
    @RapaceService("AdvisedHush")
    static class AdvisedQuietGreeter implements Hush {

        @Override
        public String greet(String name) {
            return "sh " + name;
        }
    }

    /** A service whose result type has no postcard form. */
    @RapaceService("Broken")
    public interface Broken {

        int[] numbers();

    }

    static class BrokenService implements Broken {

        @Override
        public int[] numbers() {
            return new int[0];
        }

    }

}
