package io.polyvisor.feature;

import io.polyvisor.model.Vm;
import io.polyvisor.spi.GuestData;

import java.util.HashMap;
import java.util.List;

/**
 * The guest facets of every feature, for the task executor. Filled once by the composition root after all features
 * are built ({@link #set}), as {@link VmFacets} is.
 */
public final class GuestFacets {
    private volatile List<GuestFacet> all = List.of();

    public void set(List<GuestFacet> facets) {
        this.all = List.copyOf(facets);
    }

    /** Whether any feature has something for {@code vm}'s guest (if not, no lookup or effect is needed). */
    public boolean wanted(Vm vm) {
        for (GuestFacet f : all) if (f.appliesTo(vm)) return true;
        return false;
    }

    /** Every applying feature's entries for a new instance of {@code vm}; a name given twice is a wiring error. */
    public GuestData forNewInstance(Vm vm) {
        var entries = new HashMap<String, String>();
        for (GuestFacet f : all) {
            if (!f.appliesTo(vm)) continue;
            f.entries(vm).forEach((k, v) -> {
                if (entries.putIfAbsent(k, v) != null) throw new IllegalStateException("two features give guest data " + k);
            });
        }
        return new GuestData(entries);
    }
}
