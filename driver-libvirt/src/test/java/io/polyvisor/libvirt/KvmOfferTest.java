package io.polyvisor.libvirt;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which capabilities offer a KVM that runs unmodified guests: hardware virtualization on x86, listed elsewhere. */
class KvmOfferTest {
    private static String caps(String arch, String features, String domainTypes) {
        return """
                <capabilities><host><uuid>a906825d-9f47-462c-8fa4-3383e0c6d1b4</uuid>
                <cpu><arch>%s</arch><model>Broadwell</model><vendor>Intel</vendor>%s</cpu></host>
                <guest><os_type>hvm</os_type><arch name='%s'><emulator>/usr/bin/qemu-system-x86_64</emulator>%s</arch></guest>
                </capabilities>""".formatted(arch, features, arch, domainTypes);
    }

    private static final String QEMU_AND_KVM = "<domain type='qemu'/><domain type='kvm'/>";

    @Test
    void intelWithVmxAndAmdWithSvmOfferKvm() {
        assertThat(KvmOffer.of(caps("x86_64", "<feature name='ss'/><feature name='vmx'/>", QEMU_AND_KVM)))
                .isEqualTo(new KvmOffer(true, "kvm listed, host CPU has vmx"));
        assertThat(KvmOffer.of(caps("x86_64", "<feature name='svm'/><feature name='hypervisor'/>", QEMU_AND_KVM)).offered()).isTrue();
    }

    /** The host CPU of this machine kind on 2026-12-03 (a cloud VM with kvm_pvm loaded), abridged. */
    @Test
    void anX86HostWithoutVmxOrSvmRunsASoftwareKvmAndIsNotOffered() {
        var offer = KvmOffer.of(caps("x86_64", "<feature name='vme'/><feature name='hypervisor'/><feature name='avx512f'/><feature name='la57'/>", QEMU_AND_KVM));
        assertThat(offer.offered()).isFalse();
        assertThat(offer.reason()).contains("neither vmx nor svm");
    }

    @Test
    void noKvmDomainTypeIsNotOfferedWhateverTheCpu() {
        assertThat(KvmOffer.of(caps("x86_64", "<feature name='vmx'/>", "<domain type='qemu'/>")))
                .isEqualTo(new KvmOffer(false, "the host offers no kvm domain type"));
    }

    @Test
    void otherArchitecturesNeedNoX86Feature() {
        assertThat(KvmOffer.of(caps("aarch64", "", QEMU_AND_KVM)).offered()).isTrue();
        assertThat(KvmOffer.of(caps("aarch64", "", "<domain type='qemu'/>")).offered()).isFalse();
    }
}
