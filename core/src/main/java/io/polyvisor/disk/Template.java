package io.polyvisor.disk;

import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Nic;
import io.polyvisor.model.VmSpec;

/**
 * A VM template: a base that never changes again, made once from a stopped VM ({@code vm template SRC NAME}). Its disk
 * is image {@code name} in host {@code host}'s pool (a flattened copy of the VM's root volume, never written to again);
 * its {@code spec} (vCPUs, memory, boot, NIC networks, exposed ports, display) is what each clone gets. A linked clone is a new
 * VM on {@code host} whose root volume is copy-on-write over that image.
 *
 * @param source the name of the VM it was made from (for people; the VM may have changed or gone since)
 * @param spec   without disks, and with NICs that hold no MAC or address (each clone gets its own)
 */
public record Template(String name, String host, String source, VmSpec spec) {
    public Template {
        StorageNames.image(name);
        InvalidInput.require(spec.disks().isEmpty(), "a template's spec holds no disks");
        InvalidInput.require(spec.nics().stream().allMatch(n -> n.mac() == null && n.ip() == null),
                "a template's NICs hold no MAC or address");
    }

    /** The spec a template keeps of a VM's: no disks, NICs on the same networks without MAC or address. */
    public static VmSpec specOf(VmSpec vm) {
        var nics = vm.nics().stream().map(n -> new Nic(n.network(), null, null)).toList();
        return new VmSpec(vm.vcpus(), vm.memoryBytes(), vm.boot(), nics, vm.exposePorts(), java.util.List.of(), vm.display());
    }
}
