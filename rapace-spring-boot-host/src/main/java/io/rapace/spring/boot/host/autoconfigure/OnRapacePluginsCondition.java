package io.rapace.spring.boot.host.autoconfigure;

import java.util.Set;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** The condition of {@link ConditionalOnRapacePlugins}. */
final class OnRapacePluginsCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Set<String> names = PluginPropertiesResolver.names(context.getEnvironment());
        return names.isEmpty() ? ConditionOutcome.noMatch("no plugin declared under rapace.plugins")
                : ConditionOutcome.match("plugins declared under rapace.plugins: " + names);
    }
}
