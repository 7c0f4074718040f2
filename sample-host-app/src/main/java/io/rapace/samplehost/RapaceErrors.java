package io.rapace.samplehost;

import io.rapace.core.RapaceException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A failed plugin call as an HTTP answer: 503 while the plugin is unavailable (died, restarting, given up), 504 when
 * its deadline passed, 400 for a bad argument, 502 otherwise; the body names the error code and the reason.
 */
@RestControllerAdvice
class RapaceErrors {

    @ExceptionHandler(RapaceException.class)
    ResponseEntity<String> failed(RapaceException ex) {
        HttpStatus status = switch (ex.errorCode()) {
            case UNAVAILABLE, PEER_DIED, SESSION_CLOSED -> HttpStatus.SERVICE_UNAVAILABLE;
            case DEADLINE_EXCEEDED -> HttpStatus.GATEWAY_TIMEOUT;
            case INVALID_ARGUMENT, OUT_OF_RANGE -> HttpStatus.BAD_REQUEST;
            default -> HttpStatus.BAD_GATEWAY;
        };
        return ResponseEntity.status(status).body(ex.errorCode() + ": " + ex.getMessage() + "\n");
    }
}
