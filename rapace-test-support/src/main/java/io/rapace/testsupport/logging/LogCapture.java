package io.rapace.testsupport.logging;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Captures what the named {@code java.util.logging} loggers (and their children) log during each test instead
 * of letting it reach the console: for tests that provoke a failure the code under test logs as a warning, so
 * that the expected warning is checked by the test rather than printed into the build output as if something
 * went wrong. The records of a test that fails are printed after it, for diagnosis. Register it on a field:
 *
 * <pre>{@code
 * @RegisterExtension
 * final LogCapture logs = LogCapture.of("io.rapace");
 * ...
 * assertThat(logs.messages()).anyMatch((m) -> m.contains("dropped invalid descriptor"));
 * }</pre>
 *
 * Outside JUnit Jupiter (a jqwik property), or around a part of a test, use it as a resource instead:
 * {@code try (LogCapture logs = LogCapture.of(FrameReceiver.class).start()) { ... }}.
 * Loggers of this project's modules log through {@code System.Logger}, which is {@code java.util.logging}
 * unless an application routes it elsewhere; in a test of a Spring module without Logback, commons-logging too.
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback, AutoCloseable {

    private final List<String> loggerNames;

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            LogCapture.this.records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    // Held strongly while capturing: java.util.logging keeps its loggers weakly, and a collected logger would
    // lose the settings made here.
    private final List<Logger> captured = new ArrayList<>();

    private final List<Boolean> usedParentHandlers = new ArrayList<>();

    private LogCapture(List<String> loggerNames) {
        this.loggerNames = List.copyOf(loggerNames);
    }

    /** Captures the loggers named, and their children (e.g. {@code "io.rapace"}: every logger of this project). */
    public static LogCapture of(String... loggerNames) {
        return new LogCapture(List.of(loggerNames));
    }

    /** Captures the loggers of the classes given (a {@code System.Logger} is named after its class). */
    public static LogCapture of(Class<?>... types) {
        return new LogCapture(Arrays.stream(types).map(Class::getName).toList());
    }

    /**
     * Starts capturing: the records no longer reach the parent loggers' handlers (the console). Returns this
     * capture, for {@code try (LogCapture logs = LogCapture.of(...).start())}.
     */
    public synchronized LogCapture start() {
        if (!this.captured.isEmpty()) {
            return this;
        }
        this.records.clear();
        for (String name : this.loggerNames) {
            Logger logger = Logger.getLogger(name);
            this.captured.add(logger);
            this.usedParentHandlers.add(logger.getUseParentHandlers());
            logger.setUseParentHandlers(false);
            logger.addHandler(this.handler);
        }
        this.handler.setLevel(Level.ALL);
        return this;
    }

    /** Stops capturing and restores the loggers; the records stay readable. */
    public synchronized void stop() {
        for (int i = 0; i < this.captured.size(); i++) {
            Logger logger = this.captured.get(i);
            logger.removeHandler(this.handler);
            logger.setUseParentHandlers(this.usedParentHandlers.get(i));
        }
        this.captured.clear();
        this.usedParentHandlers.clear();
    }

    /** The records captured so far, oldest first. */
    public List<LogRecord> records() {
        return List.copyOf(this.records);
    }

    /** The captured messages, parameters substituted, followed by {@code " [" + thrown + "]"} when one was logged. */
    public List<String> messages() {
        return this.records.stream().map(LogCapture::message).toList();
    }

    /** Forgets the records captured so far. */
    public void clear() {
        this.records.clear();
    }

    /** {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stop();
        if (context.getExecutionException().isPresent() && !this.records.isEmpty()) {
            StringBuilder text = new StringBuilder("--- what " + this.loggerNames + " logged during the failed test "
                    + context.getDisplayName() + " ---" + System.lineSeparator());
            SimpleFormatter formatter = new SimpleFormatter();
            this.records.forEach((record) -> text.append(formatter.format(record)));
            System.err.print(text);
        }
    }

    private static String message(LogRecord record) {
        String message = new SimpleFormatter().formatMessage(record);
        Throwable thrown = record.getThrown();
        return thrown == null ? message : message + " [" + thrown + "]";
    }
}
