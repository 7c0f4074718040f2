package io.rapace.core.service;

import java.lang.invoke.MethodHandles;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Where rapace's generated classes live: a hidden class defined in a service interface's own package, through a
 * private lookup there, so that it reaches the interface (package-private too) and the types of its methods as the
 * interface does. Shared by the generated clients ({@link GeneratedClients}) and the served methods' class
 * ({@link GeneratedInvokers}), which fall back on other means where the package refuses.
 */
final class InterfacePackage {

    private InterfacePackage() {
    }

    /**
     * Defines {@code bytes} as a hidden class, initialised, with {@code classData}, in {@code serviceInterface}'s
     * package; its full-privilege lookup, or null when that is refused: a package not open to rapace, or an interface
     * loaded apart from it.
     */
    static MethodHandles.@Nullable Lookup defineHidden(Class<?> serviceInterface, byte[] bytes, List<?> classData) {
        try {
            MethodHandles.Lookup inPackage = MethodHandles.privateLookupIn(serviceInterface, MethodHandles.lookup());
            return inPackage.defineHiddenClassWithClassData(bytes, List.copyOf(classData), true);
        }
        catch (IllegalAccessException | LinkageError refused) {
            return null;
        }
    }
}
