package io.rapace.spring.boot;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/** Only logs that the host went away: the default when {@code rapace.exit-on-host-exit=false}. */
public final class LoggingHostExitHandler implements RapaceHostExitHandler {

    private static final Log logger = LogFactory.getLog(LoggingHostExitHandler.class);

    @Override
    public void onHostExit(RapaceHostExit exit) {
        logger.warn("rapace: " + exit.describe() + "; the application keeps running without a session"
                + " (rapace.exit-on-host-exit=false)");
    }
}
