package io.rapace.spring.boot.autoconfigure.scan;

/** A service interface for the scan tests. */
public interface TestEcho {

    /** Echoes. */
    String echo(String text);
}
