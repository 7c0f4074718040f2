package io.rapace.spring.boot.autoconfigure;

import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.rapace.core.runtime.ShmPathArguments;
import io.rapace.spring.boot.RapaceShmPath;
import io.rapace.spring.boot.RapaceShmPathResolver;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** The condition behind {@link ConditionalOnRapaceShmPath}. */
final class OnRapaceShmPathCondition extends SpringBootCondition {

    private static final Log logger = LogFactory.getLog("io.rapace.spring.boot.autoconfigure.RapaceAutoConfiguration");

    static final String NOT_STARTING_MESSAGE = "rapace: no shared-memory segment path configured"
            + " (rapace.shm.path, RAPACE_SHM_PATH, --shm-path=PATH, --addr=PATH or a first positional argument);"
            + " the rapace session is not started. This application is a rapace plugin: its host starts it and"
            + " passes the segment it created (run with --help for the launch convention)";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConditionMessage.Builder message = ConditionMessage.forCondition(ConditionalOnRapaceShmPath.class);
        ApplicationArguments arguments = RapaceShmPathResolver.registeredArguments(context.getBeanFactory());
        if (arguments != null && ShmPathArguments.isHelp(arguments.getSourceArgs())) {
            System.out.println(ShmPathArguments.USAGE);
            return ConditionOutcome.noMatch(message.because("help was asked for"));
        }
        RapaceShmPathResolver resolver = new RapaceShmPathResolver(context.getEnvironment(), arguments);
        Optional<RapaceShmPath> path = resolver.resolve();
        if (path.isPresent()) {
            return ConditionOutcome.match(message.found("segment path").items(path.get()));
        }
        logger.warn(NOT_STARTING_MESSAGE);
        return ConditionOutcome.noMatch(message.didNotFind("segment path").atAll());
    }
}
