package io.polyvisor.feature;

import io.polyvisor.model.Vm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The VM facets of every feature, for the VM view. Filled once by the composition root after all features
 * are built ({@link #set}), so the feature that renders VMs needs no reference to the others.
 */
public final class VmFacets {
    private volatile List<VmFacet> all = List.of();

    public void set(List<VmFacet> facets) {
        var seen = new java.util.HashSet<String>();
        for (VmFacet f : facets) {
            if (!seen.add(f.field())) throw new IllegalArgumentException("two features add the VM field " + f.field());
        }
        this.all = List.copyOf(facets);
    }

    public List<VmFacet> all() {
        return all;
    }

    /** Every facet's field for {@code vm}, in feature order; a facet that does not apply gives null. */
    public Map<String, Object> of(Vm vm) {
        var m = new LinkedHashMap<String, Object>();
        for (VmFacet f : all) m.put(f.field(), f.view().apply(vm));
        return m;
    }
}
