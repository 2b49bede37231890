package io.polyvisor.ha;

import io.polyvisor.model.Protection;
import io.polyvisor.model.Vm;
import io.polyvisor.model.VmState;
import io.polyvisor.store.Store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code ha} block of a VM in the API ({@code polyvisor vm show}): for a standby-protected VM its role and
 * the other instance; null for VMs HA does not manage as a pair.
 */
public final class HaView {
    private HaView() {}

    public static Map<String, Object> of(Vm vm, Store store) {
        var standbyOf = HaLabels.standbyOf(vm);
        if (standbyOf.isPresent()) {
            return block("standby", store.vm(standbyOf.get()).orElse(null), "primary");
        }
        if (vm.protection() != Protection.STANDBY) return null;
        Vm standby = null;
        for (Vm v : store.vms()) {
            if (HaLabels.standbyOf(v).map(vm.id()::equals).orElse(false) && !(v.state() instanceof VmState.Deleted)) standby = v;
        }
        return block("primary", standby, "standby");
    }

    private static Map<String, Object> block(String role, Vm other, String otherRole) {
        var m = new LinkedHashMap<String, Object>();
        m.put("role", role);
        if (other == null) {
            m.put(otherRole, null);
        } else {
            var o = new LinkedHashMap<String, Object>();
            o.put("name", other.name());
            o.put("id", other.id().toString());
            o.put("host", other.host());
            o.put("state", other.state().label());
            m.put(otherRole, o);
        }
        return m;
    }
}
