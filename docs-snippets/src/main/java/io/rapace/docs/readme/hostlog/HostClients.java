package io.rapace.docs.readme.hostlog;

import io.rapace.spring.boot.client.RapaceClientFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A client bean of a host service. */
@Configuration
class HostClients {

    // snippet: host-log-bean
    @Bean
    HostLog hostLog(RapaceClientFactory clients) {
        return clients.create(HostLog.class);
    }
    // end-snippet
}
