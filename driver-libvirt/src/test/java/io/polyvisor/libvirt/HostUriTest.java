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
    void underlayAndNetnsAreHostSettingsAndMigrationGoesToTheUnderlay() {
        var u = HostUri.parse(URI.create("qemu+unix:///system?socket=/var/tmp/h1/run/libvirt-sock&netns=pv1h1&underlay=192.168.77.1"));
        assertThat(u.libvirt()).isEqualTo("qemu+unix:///system?socket=/var/tmp/h1/run/libvirt-sock");
        assertThat(u.underlay()).isEqualTo("192.168.77.1");
        assertThat(u.netns()).isEqualTo("pv1h1");
        assertThat(u.migrationAddress()).as("not tcp://127.0.0.1: the destination's underlay address").isEqualTo("192.168.77.1");
        assertThatThrownBy(() -> HostUri.parse(URI.create("qemu:///system?underlay=10.0.0.300")))
                .isInstanceOf(InvalidInput.class).hasMessage("underlay must be an IPv4 address such as 10.0.0.5, got '10.0.0.300'");
        assertThatThrownBy(() -> HostUri.parse(URI.create("qemu:///system?netns=a%20b")))
                .isInstanceOf(InvalidInput.class).hasMessage("netns must be 1-64 characters of letters, digits, '_', '.' and '-', got 'a b'");
        assertThatThrownBy(() -> HostUri.parse(URI.create("qemu+ssh://h1/system?netns=x")))
                .isInstanceOf(InvalidInput.class).hasMessage("netns applies to hosts on this machine only, got qemu+ssh://h1/system?netns=x");
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
