package io.rapace.docs.services;

import io.rapace.core.codec.FixedLength;
import io.rapace.core.codec.Unsigned;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Type markers on parameters and results. */
interface Markers {

    // snippet: services-markers
    @Unsigned int count();                             // u32 result
    Flux<@Unsigned Long> ids(@Unsigned int limit);    // u32 argument, stream of u64
    Mono<@Nullable String> lookup(String key);        // Option<String> (org.jspecify.annotations.Nullable)
    void store(@FixedLength(32) byte[] digest);       // [u8; 32]
    // end-snippet
}
