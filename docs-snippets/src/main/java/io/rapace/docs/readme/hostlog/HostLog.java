package io.rapace.docs.readme.hostlog;

import io.rapace.core.service.RapaceService;

/** A service the host serves to its plugin. */
@RapaceService
public interface HostLog {

    /** Writes a line to the host's log. */
    void log(String line);
}
