package io.rapace.core.service;

import java.util.Arrays;
import java.util.List;

import io.rapace.core.session.Dispatcher;
import io.rapace.core.session.MethodHandler;
import org.jspecify.annotations.Nullable;

/** A dispatcher over a fixed set of method ids: binary search over a sorted array, no boxing per lookup. */
final class MethodTable implements Dispatcher {

    private final int[] sortedIds;

    private final MethodHandler[] handlers;

    private MethodTable(int[] sortedIds, MethodHandler[] handlers) {
        this.sortedIds = sortedIds;
        this.handlers = handlers;
    }

    /** A table of {@code handlers.get(i)} under {@code methods.get(i).id()}; ids are unique (checked earlier). */
    static MethodTable of(List<MethodDefinition> methods, List<MethodHandler> handlers) {
        Integer[] order = new Integer[methods.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(methods.get(a).id(), methods.get(b).id()));
        int[] ids = new int[order.length];
        MethodHandler[] sorted = new MethodHandler[order.length];
        for (int i = 0; i < order.length; i++) {
            ids[i] = methods.get(order[i]).id();
            sorted[i] = handlers.get(order[i]);
        }
        return new MethodTable(ids, sorted);
    }

    @Override
    public @Nullable MethodHandler lookup(int methodId) {
        int index = Arrays.binarySearch(this.sortedIds, methodId);
        return index >= 0 ? this.handlers[index] : null;
    }
}
