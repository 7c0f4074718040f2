package io.rapace.docs.readme.hostlog;

import io.rapace.spring.boot.client.ImportRapaceClients;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

// snippet: import-rapace-clients
@SpringBootApplication
@ImportRapaceClients(HostLog.class)
public class MyPlugin {
    public static void main(String[] args) {
        SpringApplication.run(MyPlugin.class, args);
    }
}
// end-snippet
