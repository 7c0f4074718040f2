package io.rapace.docs.plain;

// snippet: plain-host
import java.time.Duration;
import java.util.List;

import io.rapace.core.RapaceException;
import io.rapace.core.runtime.RapaceHost;

public final class CalculatorHost {                  // the host process
    public static void main(String[] args) {
        List<String> plugin = List.of(ProcessHandle.current().info().command().orElseThrow(),   // this JVM's java
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                CalculatorPlugin.class.getName());     // the host appends the segment path it created
        try (RapaceHost host = RapaceHost.builder().command(plugin).start()) {
            host.awaitPluginStarted(Duration.ofSeconds(30));                 // the plugin opened the segment
            Calculator calculator = host.client(Calculator.class);
            System.out.println(calculator.add(2, 40));                       // 42
            System.out.println(calculator.range(3).collectList().block());   // [0, 1, 2]
            System.out.println(host.operations().health().status());         // UP
        }
        catch (RapaceException ex) {                   // a call failed; errorCode() is the wire code
            System.err.println(ex.errorCode() + ": " + ex.getMessage());
        }                                              // close: the plugin is stopped, the file deleted
    }
}
// end-snippet
