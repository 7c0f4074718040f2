package io.rapace.spring.boot;


/**
 * What the plugin does when its host goes away while the session runs (not when the plugin itself stops
 * the session). Define a bean of this type to replace the default, which exits the application when
 * {@code rapace.exit-on-host-exit} is true and otherwise only logs.
 */
@FunctionalInterface
public interface RapaceHostExitHandler {

    /** Called once, on a thread of its own, after the session ended because the host went away. */
    void onHostExit(RapaceHostExit exit);
}
