package io.rapace.docs.operations;

import java.util.List;

import io.rapace.core.operations.MeterReading;
import io.rapace.core.operations.PluginHealth;
import io.rapace.core.runtime.RapaceHost;

/** Health and meters over the session. */
final class ReadOperations {

    private ReadOperations() {
    }

    static int read(RapaceHost host) {
        // snippet: operations-read
        PluginHealth health = host.operations().health();                  // RapaceHost
        List<MeterReading> meters = host.operations().metrics("rapace.");  // "" for every meter
        // end-snippet
        return health.components().size() + meters.size();
    }
}
