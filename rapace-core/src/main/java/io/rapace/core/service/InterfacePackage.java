package io.rapace.core.service;

import java.lang.invoke.MethodHandles;
import java.util.List;

import io.rapace.core.codec.Codecs;
import io.rapace.core.codec.PostcardCodec;
import io.rapace.core.codec.PostcardReader;
import io.rapace.core.codec.PostcardWriter;
import org.jspecify.annotations.Nullable;

/**
 * Where rapace's generated classes live: a hidden class defined in a service interface's own package, through a
 * private lookup there, so that it reaches the interface (package-private too) and the types of its methods as the
 * interface does. Shared by the generated clients ({@link GeneratedClients}) and the served methods' class
 * ({@link GeneratedInvokers}), which fall back on other means where the package refuses.
 */
final class InterfacePackage {

    /** The types of rapace that generated code refers to by name. */
    private static final List<Class<?>> REFERRED = List.of(PostcardReader.class, PostcardWriter.class,
            PostcardCodec.class, Codecs.class);

    private InterfacePackage() {
    }

    /**
     * Whether {@code serviceInterface}'s loader resolves the names of the rapace types that generated code refers to
     * as the very types rapace uses: a class that refers to them by name would otherwise be defined, then fail at its
     * first call.
     */
    private static boolean seesRapace(Class<?> serviceInterface) {
        ClassLoader loader = serviceInterface.getClassLoader();
        for (Class<?> type : REFERRED) {
            try {
                if (Class.forName(type.getName(), false, loader) != type) {
                    return false;
                }
            }
            catch (ClassNotFoundException | LinkageError notSeen) {
                return false;
            }
        }
        return true;
    }

    /**
     * Defines {@code bytes} as a hidden class, initialised, with {@code classData}, in {@code serviceInterface}'s
     * package; its full-privilege lookup, or null when that is refused: a package not open to rapace, an interface
     * loaded apart from it, or a loader that does not see rapace's types as rapace does.
     */
    static MethodHandles.@Nullable Lookup defineHidden(Class<?> serviceInterface, byte[] bytes, List<?> classData) {
        if (!seesRapace(serviceInterface)) {
            return null;
        }
        try {
            MethodHandles.Lookup inPackage = MethodHandles.privateLookupIn(serviceInterface, MethodHandles.lookup());
            return inPackage.defineHiddenClassWithClassData(bytes, List.copyOf(classData), true);
        }
        catch (IllegalAccessException | LinkageError refused) {
            return null;
        }
    }
}
