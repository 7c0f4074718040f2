package io.rapace.test;

/** Greets; {@link #halt} ends the JVM, so it is only called on plugins in a process of their own. */
public final class GreeterImpl implements Greeter {

    @Override
    public String greet(String name) {
        return "hello " + name;
    }

    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public void halt(int code) {
        Runtime.getRuntime().halt(code);
    }
}
