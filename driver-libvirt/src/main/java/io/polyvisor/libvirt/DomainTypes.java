package io.polyvisor.libvirt;

import org.libvirt.Domain;
import org.libvirt.LibvirtException;

import java.util.UUID;

/**
 * Decides, once per connection, whether QEMU domains on this host are {@code kvm} or {@code qemu} (TCG).
 * An explicit {@code domain_type=} in the host URI wins. Otherwise: kvm if the host's capabilities offer
 * it ({@link KvmOffer}: listed, and hardware virtualization on an x86 host) and a throwaway KVM domain actually starts (paused, no disk, destroyed at once) — nested or broken
 * KVM often advertises itself and then fails on the first vCPU; TCG otherwise.
 */
final class DomainTypes {
    private final LibvirtConnection host;
    private volatile String decided;

    DomainTypes(LibvirtConnection host) {
        this.host = host;
    }

    /**
     * Starts the decision on a background thread and returns at once: the probe can take seconds (a KVM
     * that is advertised but refused takes QEMU ~10 s to give up), and a connection must answer heartbeats
     * meanwhile. {@link #get()} waits for it. A failed decision is retried by the next {@code get()}.
     */
    void warmUp() {
        Thread.ofPlatform().daemon().name("libvirt-domain-type").start(() -> {
            try {
                get();
            } catch (RuntimeException e) {
                // unreachable now: the first create decides (and reports) instead
            }
        });
    }

    String get() {
        var d = decided;
        if (d != null) return d;
        synchronized (this) {
            if (decided == null) decided = decide();
            return decided;
        }
    }

    private String decide() {
        var explicit = host.hostUri().domainType();
        if (explicit != null) return explicit;
        // one probe per daemon and process: the monitor's and HA's connections to a host share the answer
        String key = host.hostUri().libvirt();
        var known = PROBED.get(key);
        if (known != null) return known;
        String type = host.call("probe KVM", () -> {
            if (!KvmOffer.of(host.live().getCapabilities()).offered()) return "qemu";
            return kvmStarts() ? "kvm" : "qemu";
        });
        PROBED.put(key, type);
        return type;
    }

    private static final java.util.concurrent.ConcurrentMap<String, String> PROBED = new java.util.concurrent.ConcurrentHashMap<>();

    private boolean kvmStarts() {
        var xml = """
                <domain type='kvm'><name>polyvisor-kvm-probe-%s</name><memory unit='MiB'>32</memory><vcpu>1</vcpu>
                <os><type arch='x86_64'>hvm</type></os><cpu mode='host-model'/><devices/></domain>"""
                .formatted(UUID.randomUUID().toString().substring(0, 8));
        try {
            Domain d = host.live().domainCreateXML(xml, Domain.CreateFlags.PAUSED | Domain.CreateFlags.AUTODESTROY);
            d.destroy();
            return true;
        } catch (LibvirtException e) {
            return false;
        }
    }
}
