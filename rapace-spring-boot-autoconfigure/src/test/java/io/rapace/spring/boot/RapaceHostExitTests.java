package io.rapace.spring.boot;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.boot.ExitCodeGenerator;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

class RapaceHostExitTests {

    @Test
    void closedExitsWithZeroAndDiedWithNonZero() {
        assertThat(RapaceHostExit.closed().exitCode()).isZero();
        assertThat(RapaceHostExit.died(new IllegalStateException("heartbeat stale")).exitCode()).isNotZero();
        assertThat(RapaceHostExit.died(new IllegalStateException("heartbeat stale")).describe())
            .contains("died").contains("heartbeat stale");
    }

    @Test
    void applicationExitingHandlerClosesTheContextAndExitsWithTheHostCode() {
        GenericApplicationContext context = new GenericApplicationContext();
        context.refresh();
        AtomicInteger exitCode = new AtomicInteger(-1);
        new ApplicationExitingHostExitHandler(context, exitCode::set)
            .onHostExit(RapaceHostExit.died(new IllegalStateException("gone")));
        assertThat(context.isActive()).isFalse();
        assertThat(exitCode).hasValue(RapaceHostExit.DIED_EXIT_CODE);
    }

    @Test
    void applicationExitingHandlerExitsWithZeroWhenTheHostClosed() {
        GenericApplicationContext context = new GenericApplicationContext();
        context.refresh();
        AtomicInteger exitCode = new AtomicInteger(-1);
        new ApplicationExitingHostExitHandler(context, exitCode::set).onHostExit(RapaceHostExit.closed());
        assertThat(context.isActive()).isFalse();
        assertThat(exitCode).hasValue(0);
    }

    @Test
    void applicationExitingHandlerHonoursExitCodeGeneratorBeans() {
        GenericApplicationContext context = new GenericApplicationContext();
        context.registerBean(ExitCodeGenerator.class, () -> () -> 42);
        context.refresh();
        AtomicInteger exitCode = new AtomicInteger(-1);
        new ApplicationExitingHostExitHandler(context, exitCode::set).onHostExit(RapaceHostExit.closed());
        assertThat(exitCode).hasValue(42);
    }
}
