package io.rapace.core.service;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.session.ServerCall;

/**
 * Answers a call with the error frame a failure deserves: the code of a {@link RapaceException}, else
 * {@link ErrorCode#INTERNAL} (logged with its stack trace, since only its text reaches the caller).
 */
final class ErrorReplies {

    /** The logger, made at this class's first log line: a process that logs nothing never sets up the JDK's logging. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(ErrorReplies.class.getName());
    }

    private ErrorReplies() {
    }

    static void fail(ServerCall call, MethodDefinition method, Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof RapaceException rapace) {
            failQuietly(call, rapace.errorCode(), messageOf(rapace));
            return;
        }
        Log.LOG.log(System.Logger.Level.WARNING, () -> method.qualifiedName() + " failed", cause);
        failQuietly(call, ErrorCode.INTERNAL, method.qualifiedName() + " failed: " + cause);
    }

    /** Sends the error frame unless the call has already ended (cancelled, session closed): nothing to tell then. */
    static void failQuietly(ServerCall call, ErrorCode code, String message) {
        if (call.isEnded()) {
            return;
        }
        try {
            call.fail(code, message);
        }
        catch (RuntimeException ex) {
            Log.LOG.log(System.Logger.Level.DEBUG, () -> "could not send " + code + " on channel " + call.channelId(), ex);
        }
    }

    static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException
                || current instanceof InvocationTargetException || current instanceof UndeclaredThrowableException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static String messageOf(Throwable failure) {
        String message = failure.getMessage();
        return message != null ? message : failure.getClass().getName();
    }
}
