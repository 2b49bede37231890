package io.polyvisor.feature;

import io.polyvisor.model.Vm;

import java.util.function.Function;

/**
 * One field a feature adds to the VM view: {@code field} in the JSON of every VM, its value {@code view(vm)}
 * (null when it does not apply to that VM), of type {@code type}: a view record, or a sealed interface of view
 * records, from which the OpenAPI document's Vm schema gets the field's schema (see {@code api.ViewSchemas}).
 * {@code view} runs per VM per request: it must be cheap for VMs the feature does not concern.
 */
public record VmFacet(String field, Class<?> type, Function<Vm, ?> view) {
    public VmFacet {
        if (!field.matches("[a-z][a-z0-9_]*")) throw new IllegalArgumentException("facet field must be snake_case, got " + field);
    }
}
