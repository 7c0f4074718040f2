package io.rapace.demo;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

import javax.management.JMException;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import org.jspecify.annotations.Nullable;

/**
 * Reads a Spring Boot plugin's actuator {@code health} and {@code metrics} endpoints over JMX. The plugin
 * exposes them with {@code management.endpoints.jmx.exposure.include=health,metrics}; this class attaches to
 * the plugin's process (same user, same machine), starts its local JMX agent and invokes the endpoint
 * MBeans. No port is opened.
 */
public final class PluginActuator implements AutoCloseable {

    private static final String ENDPOINT_DOMAIN = "org.springframework.boot";

    private final JMXConnector connector;

    private final MBeanServerConnection connection;

    private PluginActuator(JMXConnector connector) throws IOException {
        this.connector = connector;
        this.connection = connector.getMBeanServerConnection();
    }

    /**
     * Attaches to the process {@code pid}, retrying until its health and metrics endpoints are registered
     * or {@code timeout} has passed.
     *
     * @throws IllegalStateException when the endpoints do not appear in time, with the last failure
     */
    public static PluginActuator attach(long pid, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        PluginActuator actuator = null;
        while (System.nanoTime() < deadline) {
            try {
                if (actuator == null) {
                    actuator = new PluginActuator(JMXConnectorFactory.connect(new JMXServiceURL(agentAddress(pid))));
                }
                actuator.endpoint("Health");
                actuator.endpoint("Metrics");
                return actuator;
            }
            catch (IOException | AttachNotSupportedException | RuntimeException ex) {
                last = ex;
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
        }
        if (actuator != null) {
            actuator.close();
        }
        throw new IllegalStateException("the actuator endpoints of process " + pid + " did not appear within "
                + timeout + " (is management.endpoints.jmx.exposure.include=health,metrics set?)", last);
    }

    private static String agentAddress(long pid) throws IOException, AttachNotSupportedException {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try {
            return vm.startLocalManagementAgent();
        }
        finally {
            vm.detach();
        }
    }

    /** The health endpoint's answer: {@code status}, and {@code components} with their details. */
    public Map<String, Object> health() {
        return asMap(invoke(endpoint("Health"), "health"));
    }

    /** The status of one health component, for example {@code rapace}, or null when absent. */
    public @Nullable String componentStatus(String component) {
        Object components = health().get("components");
        if (components instanceof Map<?, ?> map && map.get(component) instanceof Map<?, ?> health) {
            return String.valueOf(health.get("status"));
        }
        return null;
    }

    /** The names of every meter. */
    public List<String> metricNames() {
        Map<String, Object> answer = asMap(invoke(endpoint("Metrics"), "listNames"));
        List<String> names = new ArrayList<>();
        if (answer.get("names") instanceof Iterable<?> iterable) {
            iterable.forEach((name) -> names.add(String.valueOf(name)));
        }
        return names;
    }

    /**
     * One meter's measurements and tags, as the metrics endpoint reports it, or null when there is no such
     * meter (or no meter with these tags).
     *
     * @param tags {@code key:value} filters
     */
    public @Nullable Map<String, Object> metric(String name, String... tags) {
        Object answer = invoke(endpoint("Metrics"), "metric", name, List.of(tags));
        return (answer != null) ? asMap(answer) : null;
    }

    /**
     * One statistic of a meter ({@code VALUE}, {@code COUNT}, {@code TOTAL_TIME}, {@code MAX}), or NaN when
     * the meter or the statistic is absent.
     */
    public double measurement(String name, String statistic, String... tags) {
        Map<String, Object> metric = metric(name, tags);
        if (metric != null && metric.get("measurements") instanceof Iterable<?> measurements) {
            for (Object measurement : measurements) {
                if (measurement instanceof Map<?, ?> map && statistic.equals(String.valueOf(map.get("statistic")))
                        && map.get("value") instanceof Number value) {
                    return value.doubleValue();
                }
            }
        }
        return Double.NaN;
    }

    @Override
    public void close() {
        try {
            this.connector.close();
        }
        catch (IOException ex) {
            // The plugin may be gone already: nothing left to release on our side.
        }
    }

    private ObjectName endpoint(String name) {
        try {
            Set<ObjectName> names = this.connection
                .queryNames(new ObjectName(ENDPOINT_DOMAIN + ":type=Endpoint,name=" + name + ",*"), null);
            if (names.isEmpty()) {
                throw new IllegalStateException("no actuator endpoint MBean named " + name);
            }
            return names.iterator().next();
        }
        catch (IOException | JMException ex) {
            throw new IllegalStateException("cannot query the plugin's MBeans: " + ex.getMessage(), ex);
        }
    }

    private @Nullable Object invoke(ObjectName endpoint, String operation, Object... arguments) {
        try {
            MBeanOperationInfo info = Arrays.stream(this.connection.getMBeanInfo(endpoint).getOperations())
                .filter((candidate) -> candidate.getName().equals(operation))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("endpoint " + endpoint + " has no operation " + operation));
            MBeanParameterInfo[] parameters = info.getSignature();
            Object[] values = new Object[parameters.length];
            String[] signature = new String[parameters.length];
            for (int i = 0; i < parameters.length; i++) {
                signature[i] = parameters[i].getType();
                values[i] = (i < arguments.length) ? adapt(arguments[i], signature[i]) : null;
            }
            return this.connection.invoke(endpoint, operation, values, signature);
        }
        catch (IOException | JMException ex) {
            throw new IllegalStateException("actuator operation " + operation + " on " + endpoint + " failed: "
                    + ex.getMessage(), ex);
        }
    }

    private static @Nullable Object adapt(Object argument, String type) {
        if (argument instanceof List<?> list) {
            if (list.isEmpty()) {
                return null;
            }
            if (type.equals(String[].class.getName())) {
                return list.stream().map(String::valueOf).toArray(String[]::new);
            }
            if (type.equals(String.class.getName())) {
                return String.join(",", list.stream().map(String::valueOf).toList());
            }
        }
        return argument;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(@Nullable Object value) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalStateException("expected a JSON object from the actuator, got " + value);
    }
}
