package io.rapace.test;

/** How long one plugin lives in a test class. */
public enum PluginLifecycle {

    /** One plugin for all tests of the class (and its {@code @Nested} classes): started before all, stopped after all. */
    PER_CLASS,

    /** A fresh plugin for each test: started before each, stopped (and checked) after each. */
    PER_METHOD
}
