package io.polyvisor.ha;

import io.polyvisor.api.Nullable;
import io.polyvisor.model.Protection;
import io.polyvisor.model.Vm;
import io.polyvisor.store.Store;

/**
 * The {@code ha} field of a VM in the API ({@code polyvisor vm show}), the HA feature's VM facet: for a
 * standby-protected VM its role and the other instance of the pair (null while there is none); the field is
 * null for VMs HA does not manage as a pair.
 */
public sealed interface HaRole {
    /**
     * @param role        always {@code primary}
     * @param unprotected why the VM is not protected now (see {@link HaStatus.ProtectedVm#unprotected}); null when it is
     */
    record PrimaryRole(String role, @Nullable HaStatus.Instance standby, @Nullable String unprotected) implements HaRole {}

    /** @param role always {@code standby} */
    record StandbyRole(String role, @Nullable HaStatus.Instance primary) implements HaRole {}

    static HaRole of(Vm vm, Store store, HaController controller) {
        var standbyOf = HaLabels.standbyOf(vm);
        if (standbyOf.isPresent()) {
            return new StandbyRole("standby", store.vm(standbyOf.get()).map(HaRole::instance).orElse(null));
        }
        if (vm.protection() != Protection.STANDBY) return null;
        Vm standby = HaController.standbys(store.vms()).get(vm.id());
        return new PrimaryRole("primary", standby == null ? null : instance(standby), controller.unprotected(vm, standby).orElse(null));
    }

    private static HaStatus.Instance instance(Vm v) {
        return new HaStatus.Instance(v.name(), v.id(), v.host(), v.state());
    }
}
