package io.rapace.core.service;

import java.lang.reflect.Modifier;

/** What to say when a service interface cannot be reached from this module. */
final class NotOpen {

    private NotOpen() {
    }

    /** Why {@code serviceInterface} cannot be reached, and what to do about it. */
    static String whatToDo(Class<?> serviceInterface) {
        String opens = "open its package (`opens " + serviceInterface.getPackageName() + ";` in module-info.java)";
        if (Modifier.isPublic(serviceInterface.getModifiers())) {
            return serviceInterface.getName() + " is in a package that is neither exported nor open to rapace: export it,"
                    + " or " + opens;
        }
        return serviceInterface.getName() + " is not public and its package is not open to rapace: declare it `public"
                + " interface " + serviceInterface.getSimpleName() + "` in an exported package, or " + opens;
    }
}
