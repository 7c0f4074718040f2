package io.rapace.core.operations;

import java.util.List;

import io.rapace.core.service.RapaceService;

/**
 * The operations service a plugin serves beside its own services: its health and its meters, read by the host
 * with an ordinary call ({@code RapaceHost.operations()} in Java; {@code RapaceOperations.health} and
 * {@code RapaceOperations.metrics} on the wire, see {@code docs/operations.md}).
 *
 * <p>A Spring Boot plugin answers from its health contributors and its {@code MeterRegistry} (when they are on
 * the class path), a plain-Java plugin from its session; either way the {@code rapace} component describes the
 * session.
 */
@RapaceService("RapaceOperations")
public interface RapaceOperations {

    /** The plugin's overall status and every health component it has, with their details. */
    PluginHealth health();

    /**
     * The current value of every meter whose name starts with {@code namePrefix} ({@code ""} for all,
     * {@code "rapace."} for the session's), one reading per statistic, sorted by name, tags and statistic.
     */
    List<MeterReading> metrics(String namePrefix);
}
