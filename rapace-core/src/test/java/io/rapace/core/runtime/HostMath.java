package io.rapace.core.runtime;

/** A service the host serves to its plugin. */
public interface HostMath {

    int twice(int x);
}
