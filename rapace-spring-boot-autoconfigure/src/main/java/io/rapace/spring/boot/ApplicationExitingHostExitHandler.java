package io.rapace.spring.boot;

import java.util.function.IntConsumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.util.Assert;

/**
 * Exits the application when the host goes away: closes the context with
 * {@link SpringApplication#exit(ApplicationContext, org.springframework.boot.ExitCodeGenerator...)} (so
 * every bean stops gracefully and {@code ExitCodeGenerator} beans are heard), then ends the JVM with the
 * resulting code through the given exiter ({@code System::exit} in production).
 */
public final class ApplicationExitingHostExitHandler implements RapaceHostExitHandler {

    private static final Log logger = LogFactory.getLog(ApplicationExitingHostExitHandler.class);

    private final ApplicationContext context;

    private final IntConsumer jvmExiter;

    /**
     * A handler that closes {@code context} and hands the exit code to {@code jvmExiter}.
     */
    public ApplicationExitingHostExitHandler(ApplicationContext context, IntConsumer jvmExiter) {
        Assert.notNull(context, "'context' must not be null");
        Assert.notNull(jvmExiter, "'jvmExiter' must not be null");
        this.context = context;
        this.jvmExiter = jvmExiter;
    }

    @Override
    public void onHostExit(RapaceHostExit exit) {
        int requested = exit.exitCode();
        logger.info("rapace: " + exit.describe() + "; exiting the application with code " + requested);
        int code = SpringApplication.exit(this.context, () -> requested);
        this.jvmExiter.accept(code);
    }
}
