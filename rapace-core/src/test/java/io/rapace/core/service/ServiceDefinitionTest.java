package io.rapace.core.service;

import java.io.Serializable;
import java.util.List;

import io.rapace.core.session.Dispatcher;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceDefinitionTest {

    interface Calculator {
        int add(int a, int b);

        long sumAll(List<Long> values);

        default int twice(int a) {
            return add(a, a);
        }
    }

    static class CalculatorImpl implements Calculator, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public int add(int a, int b) {
            return a + b;
        }

        @Override
        public long sumAll(List<Long> values) {
            return values.stream().mapToLong(Long::longValue).sum();
        }
    }

    static class ClosableCalculator extends CalculatorImpl implements AutoCloseable, Comparable<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public void close() {
        }

        @Override
        public int compareTo(String other) {
            return 0;
        }
    }

    @RapaceService("Arith")
    static class RenamedCalculator extends CalculatorImpl {
        private static final long serialVersionUID = 1L;
    }

    @RapaceService("Inventory")
    interface Stock {
        @RapaceMethod(name = "list_items")
        List<String> items();

        String getItemById(long id);
    }

    static class StockImpl implements Stock {
        @Override
        public List<String> items() {
            return List.of("a");
        }

        @Override
        public String getItemById(long id) {
            return "item" + id;
        }
    }

    interface Echo {
        String echo(String text);
    }

    static class TwoServices implements Calculator, Echo {
        @Override
        public int add(int a, int b) {
            return a + b;
        }

        @Override
        public long sumAll(List<Long> values) {
            return 0;
        }

        @Override
        public String echo(String text) {
            return text;
        }
    }

    @RapaceService(iface = Echo.class)
    static class ChosenEcho extends TwoServices {
    }

    @RapaceService(iface = Stock.class)
    static class WrongChoice extends TwoServices {
    }

    static class NoInterface {
    }

    interface Overloaded {
        int add(int a, int b);

        long add(long a, long b);
    }

    static class OverloadedImpl implements Overloaded {
        @Override
        public int add(int a, int b) {
            return a + b;
        }

        @Override
        public long add(long a, long b) {
            return a + b;
        }
    }

    @RapaceService("Calculator")
    interface OtherCalculator {
        int add(int a, int b);
    }

    @Test
    void serviceNameIsTheInterfaceSimpleNameAndMarkerInterfacesAreIgnored() {
        ServiceDefinition definition = ServiceDefinition.of(new CalculatorImpl());
        assertThat(definition.serviceName()).isEqualTo("Calculator");
        assertThat(definition.serviceInterface()).isEqualTo(Calculator.class);
        assertThat(definition.methods()).extracting(RemoteMethod::qualifiedName)
                .containsExactly("Calculator.add", "Calculator.sum_all");
        assertThat(definition.methods().getFirst().id()).isEqualTo(MethodIds.methodId("Calculator", "add"));
    }

    @Test
    void jdkInterfacesAreNeverTheService() {
        assertThat(ServiceDefinition.of(new ClosableCalculator()).serviceInterface()).isEqualTo(Calculator.class);
    }

    @Test
    void defaultMethodsAreNotRemote() {
        assertThat(ServiceDefinition.of(new CalculatorImpl()).methods())
                .noneMatch(m -> m.name().equals("twice"));
    }

    @Test
    void annotationOnTheClassRenamesTheService() {
        ServiceDefinition definition = ServiceDefinition.of(new RenamedCalculator());
        assertThat(definition.serviceName()).isEqualTo("Arith");
        assertThat(definition.methods().getFirst().id()).isEqualTo(MethodIds.methodId("Arith", "add"));
    }

    @Test
    void annotationsOnTheInterfaceNameServiceAndMethods() {
        ServiceDefinition definition = ServiceDefinition.of(new StockImpl());
        assertThat(definition.serviceName()).isEqualTo("Inventory");
        assertThat(definition.methods()).extracting(RemoteMethod::qualifiedName)
                .containsExactlyInAnyOrder("Inventory.list_items", "Inventory.get_item_by_id");
        assertThat(ServiceContract.of(Stock.class).serviceName()).isEqualTo("Inventory");
    }

    @Test
    void severalInterfacesNeedAChoice() {
        assertThatThrownBy(() -> ServiceDefinition.of(new TwoServices()))
                .isInstanceOf(ServiceDefinitionException.class)
                .hasMessageContaining(TwoServices.class.getName())
                .hasMessageContaining(Calculator.class.getName())
                .hasMessageContaining(Echo.class.getName())
                .hasMessageContaining("@RapaceService(iface = ...)");
        assertThat(ServiceDefinition.of(new ChosenEcho()).serviceName()).isEqualTo("Echo");
        assertThat(ServiceDefinition.of(Calculator.class, new TwoServices()).serviceName()).isEqualTo("Calculator");
    }

    @Test
    void aChosenInterfaceMustBeImplemented() {
        assertThatThrownBy(() -> ServiceDefinition.of(new WrongChoice()))
                .isInstanceOf(ServiceDefinitionException.class)
                .hasMessageContaining(Stock.class.getName())
                .hasMessageContaining("must name an interface that the class implements");
        assertThatThrownBy(() -> ServiceDefinition.of(Stock.class, new TwoServices()))
                .isInstanceOf(ServiceDefinitionException.class)
                .hasMessageContaining("does not implement");
    }

    @Test
    void aClassWithoutInterfaceIsRejected() {
        assertThatThrownBy(() -> ServiceDefinition.of(new NoInterface()))
                .isInstanceOf(ServiceDefinitionException.class)
                .hasMessageContaining(NoInterface.class.getName())
                .hasMessageContaining("implements no interface");
    }

    @Test
    void duplicateIdsWithinAServiceNameBothMethods() {
        assertThatThrownBy(() -> ServiceDefinition.of(new OverloadedImpl()))
                .isInstanceOf(ServiceDefinitionException.class)
                .hasMessageContaining("\"Overloaded.add\"")
                .hasMessageContaining("add(int, int)")
                .hasMessageContaining("add(long, long)");
    }

    @Test
    void duplicateIdsAcrossServicesNameBothMethods() {
        OtherCalculator other = (a, b) -> a - b;
        List<ServiceDefinition> services = List.of(ServiceDefinition.of(new CalculatorImpl()),
                ServiceDefinition.of(OtherCalculator.class, other));
        assertThatThrownBy(() -> Services.dispatcher(services))
                .isInstanceOf(ServiceDefinitionException.class)
                .hasMessageContaining("\"Calculator.add\"")
                .hasMessageContaining("OtherCalculator.add(int, int)")
                .hasMessageContaining("Calculator.add(int, int)");
    }

    @Test
    void chainedDispatcherFindsEachServiceAndNothingElse() {
        Dispatcher dispatcher = Services.dispatcher(new CalculatorImpl(), new StockImpl());
        assertThat(dispatcher.lookup(MethodIds.methodId("Calculator", "add"))).isNotNull();
        assertThat(dispatcher.lookup(MethodIds.methodId("Inventory", "get_item_by_id"))).isNotNull();
        assertThat(dispatcher.lookup(MethodIds.methodId("Calculator", "multiply"))).isNull();
        assertThat(dispatcher.lookup(MethodIds.methodId("Calculator", "add")))
                .isNotSameAs(dispatcher.lookup(MethodIds.methodId("Calculator", "sum_all")));
    }

    @Test
    void badMethodNamesAreRejected() {
        interface Dotted {
            @RapaceMethod(name = "a.b")
            int call();
        }
        assertThatThrownBy(() -> ServiceContract.of(Dotted.class))
                .isInstanceOf(ServiceDefinitionException.class)
                .hasMessageContaining("a.b");
    }

    @Test
    void rawWrappersAndUnsupportedTypesAreRejectedAtDefinitionTime() {
        interface Raw {
            @SuppressWarnings("rawtypes")
            reactor.core.publisher.Mono get();
        }
        interface Unsupported {
            Thread get();
        }
        assertThatThrownBy(() -> ServiceContract.of(Raw.class))
                .isInstanceOf(ServiceDefinitionException.class)
                .hasMessageContaining("raw Mono");
        assertThatThrownBy(() -> ServiceContract.of(Unsupported.class))
                .isInstanceOf(ServiceDefinitionException.class)
                .hasMessageContaining("the result of Unsupported.get()");
    }

    @Test
    void aRenameOnTheImplementationOnlyIsRejected() {
        class Renamed extends CalculatorImpl {
            private static final long serialVersionUID = 1L;

            @Override
            @RapaceMethod(name = "plus")
            public int add(int a, int b) {
                return a + b;
            }
        }
        assertThatThrownBy(() -> ServiceDefinition.of(new Renamed()))
                .isInstanceOf(ServiceDefinitionException.class)
                .hasMessageContaining("\"plus\"")
                .hasMessageContaining("\"add\"")
                .hasMessageContaining("put @RapaceMethod on the interface method");
    }

    @Test
    void aClassIsNotAContract() {
        assertThatThrownBy(() -> ServiceContract.of(CalculatorImpl.class))
                .isInstanceOf(ServiceDefinitionException.class)
                .hasMessageContaining("is not an interface");
    }
}
