package io.polyvisor.libvirt;

import io.polyvisor.spi.Capability;
import io.polyvisor.spi.Unsupported;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which libvirt hypervisors Polyvisor defines VMs on: the ones its domain XML has run on, and no other. */
class HypervisorKindTest {
    @Test
    void qemuAndTheTestDriverTakeDefinitions() {
        assertThatCode(() -> HypervisorKind.QEMU.requireDefinable("libvirt")).doesNotThrowAnyException();
        assertThatCode(() -> HypervisorKind.TEST.requireDefinable("libvirt")).doesNotThrowAnyException();
    }

    @Test
    void otherKindsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> HypervisorKind.LXC.requireDefinable("libvirt"))
                .isInstanceOfSatisfying(Unsupported.class, u -> assertThat(u.capability()).isEqualTo(Capability.COMPUTE))
                .hasMessage("libvirt driver does not support defining VMs on lxc hosts: an LXC container needs an init and "
                        + "a root file system (os type exe), not a kernel and an initrd (compute)");
        for (var kind : new HypervisorKind[] {HypervisorKind.XEN, HypervisorKind.ESX, HypervisorKind.HYPERV}) {
            assertThatThrownBy(() -> kind.requireDefinable("libvirt")).isInstanceOf(Unsupported.class)
                    .hasMessageContaining("defining VMs on " + kind.name().toLowerCase());
        }
    }

    @Test
    void connectionTypesMapToKinds() {
        assertThat(HypervisorKind.of("QEMU")).isEqualTo(HypervisorKind.QEMU);
        assertThat(HypervisorKind.of("LIBXL")).isEqualTo(HypervisorKind.XEN);
        assertThat(HypervisorKind.of("VPX")).isEqualTo(HypervisorKind.ESX);
        assertThat(HypervisorKind.of("Hyper-V")).isEqualTo(HypervisorKind.HYPERV);
        assertThatThrownBy(() -> HypervisorKind.of("bhyve")).hasMessage("unsupported libvirt hypervisor type bhyve");
    }
}
