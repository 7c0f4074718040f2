package io.rapace.core.service;

/** Builds the error for two methods that hash to the same id (spec §5 ids have no registry to catch it). */
final class DuplicateIds {

    private DuplicateIds() {
    }

    static ServiceDefinitionException error(MethodDefinition first, MethodDefinition second) {
        return new ServiceDefinitionException("method id " + Integer.toUnsignedLong(second.id()) + " of \""
                + second.qualifiedName() + "\" (" + MethodDefinition.describe(second.javaMethod())
                + ") is already used by \"" + first.qualifiedName() + "\" ("
                + MethodDefinition.describe(first.javaMethod())
                + "): rename one with @RapaceMethod(name = ...) or give the services distinct names");
    }
}
