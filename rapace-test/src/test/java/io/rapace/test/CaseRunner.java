package io.rapace.test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs a test class of the kit's own tests through the JUnit Platform launcher, in this JVM, and records how
 * each test and container ended: what a user would see in their report. The classes it runs are nested
 * ({@code Outer$Case}), which Surefire does not run by itself.
 */
final class CaseRunner {

    /** How one test or container ended. */
    record Outcome(String displayName, boolean container, TestExecutionResult result) {

        boolean failed() {
            return this.result.getStatus() != TestExecutionResult.Status.SUCCESSFUL;
        }

        String failureMessage() {
            return this.result.getThrowable().map(Throwable::getMessage).orElse("");
        }
    }

    private CaseRunner() {
    }

    static List<Outcome> run(Class<?> testClass) {
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass))
                .build(), new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (id.getSource().isPresent()) {
                            outcomes.add(new Outcome(id.getDisplayName(), id.isContainer(), result));
                        }
                    }
                });
        return outcomes;
    }

    /** The outcome of the class container itself. */
    static Outcome classOutcome(List<Outcome> outcomes, Class<?> testClass) {
        return outcomes.stream().filter(o -> o.container() && o.displayName().endsWith(testClass.getSimpleName()))
                .findFirst().orElseThrow(() -> new AssertionError("no outcome for " + testClass + ": " + outcomes));
    }
}
