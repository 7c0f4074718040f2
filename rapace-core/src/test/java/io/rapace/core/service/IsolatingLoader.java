package io.rapace.core.service;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.util.Objects;

/**
 * A class loader that defines {@link IsolatedService} itself and sees only the JDK besides: an interface whose loader
 * does not see rapace, for the generated classes' fallbacks ({@link GeneratedInvokersTest}, {@link GeneratedClientTest}).
 */
final class IsolatingLoader extends ClassLoader {

    IsolatingLoader() {
        super("isolating", ClassLoader.getPlatformClassLoader());
    }

    /** {@link IsolatedService} as this loader defines it: another class of the same name. */
    static Class<?> isolatedService() throws ClassNotFoundException {
        return new IsolatingLoader().loadClass(IsolatedService.class.getName());
    }

    /** An implementation of {@code isolated} (as {@link #isolatedService()} gives it): {@code triple} triples. */
    static Object implementation(Class<?> isolated) {
        return Proxy.newProxyInstance(isolated.getClassLoader(), new Class<?>[] {isolated},
                (proxy, method, args) -> method.getName().equals("triple") ? 3 * (int) args[0] : null);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (!name.equals(IsolatedService.class.getName())) {
            throw new ClassNotFoundException(name);
        }
        String resource = name.substring(name.lastIndexOf('.') + 1) + ".class";
        try (InputStream in = IsolatedService.class.getResourceAsStream(resource)) {
            byte[] bytes = Objects.requireNonNull(in, resource).readAllBytes();
            return defineClass(name, bytes, 0, bytes.length);
        }
        catch (IOException ex) {
            throw new ClassNotFoundException(name, ex);
        }
    }
}
