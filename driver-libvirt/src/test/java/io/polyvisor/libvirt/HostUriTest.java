package io.polyvisor.libvirt;

import io.polyvisor.model.InvalidInput;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostUriTest {
    @Test
    void polyvisorSettingsAreTakenOutAndLibvirtParametersKept() {
        var u = HostUri.parse(URI.create("qemu+unix:///system?socket=/var/tmp/h1/run/libvirt-sock&domain_type=qemu&migrate_host=10.0.0.5"));
        assertThat(u.libvirt()).isEqualTo("qemu+unix:///system?socket=/var/tmp/h1/run/libvirt-sock");
        assertThat(u.domainType()).isEqualTo("qemu");
        assertThat(u.migrationAddress()).isEqualTo("10.0.0.5");
        assertThat(u.polyvisor().toString()).contains("domain_type=qemu");
    }

    @Test
    void defaults() {
        var u = HostUri.parse(URI.create("qemu:///system"));
        assertThat(u.libvirt()).isEqualTo("qemu:///system");
        assertThat(u.domainType()).as("decided by probing the host").isNull();
        assertThat(u.logDir()).isEqualTo("/var/log/libvirt/qemu");
        assertThat(u.imageRoots()).isEqualTo(HostUri.DEFAULT_IMAGE_ROOTS);
    }

    @Test
    void hostsOnThisMachineReceiveMigrationsOnLoopbackRemoteOnesWhereLibvirtSays() {
        assertThat(HostUri.parse(URI.create("qemu:///system")).migrationAddress()).isEqualTo("127.0.0.1");
        assertThat(HostUri.parse(URI.create("qemu+unix:///system?socket=/x/sock")).migrationAddress()).isEqualTo("127.0.0.1");
        assertThat(HostUri.parse(URI.create("qemu+ssh://root@h1.example/system")).migrationAddress()).isNull();
    }

    @Test
    void imageRootsAndLogDirMustBeCleanAbsolutePaths() {
        assertThat(HostUri.parse(URI.create("qemu:///system?image_roots=/srv/images:/data/vm")).imageRoots())
                .isEqualTo(List.of("/srv/images", "/data/vm"));
        assertThatThrownBy(() -> HostUri.parse(URI.create("qemu:///system?image_roots=/srv/../etc")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("image_roots path must not contain '.' or '..' segments");
        assertThatThrownBy(() -> HostUri.parse(URI.create("qemu:///system?log_dir=relative")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("log_dir path must be absolute");
    }

    @Test
    void badSettingsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> HostUri.parse(URI.create("qemu:///system?domain_type=xen")))
                .isInstanceOf(InvalidInput.class).hasMessage("domain_type must be kvm or qemu, got 'xen'");
        assertThatThrownBy(() -> HostUri.parse(URI.create("qemu:///system?migrate_host=a%20b")))
                .isInstanceOf(InvalidInput.class).hasMessage("migrate_host must be a host name or address, got 'a b'");
    }
}
