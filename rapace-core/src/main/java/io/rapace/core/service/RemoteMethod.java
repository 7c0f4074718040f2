package io.rapace.core.service;

/**
 * A remote method as the wire knows it: what a served call is recorded under (meters, logs).
 *
 * @param serviceName the service name, the part before the dot in {@code "Service.method"}
 * @param name the method's wire name: {@link RapaceMethod#name()}, else the Java name in snake_case
 * @param id the method id, {@link MethodIds#methodId(String, String)} of the two names
 */
public record RemoteMethod(String serviceName, String name, int id) {

    /** {@code "Service.method"}, the string whose hash is {@link #id()}. */
    public String qualifiedName() {
        return MethodIds.qualifiedName(this.serviceName, this.name);
    }
}
