package io.polyvisor.libvirt;

import io.polyvisor.model.Boot;
import io.polyvisor.model.Display;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Names;
import io.polyvisor.model.Nic;
import io.polyvisor.model.VmSpec;
import io.polyvisor.network.Network;
import io.polyvisor.spi.GuestData;
import org.w3c.dom.Element;

import java.util.UUID;

/**
 * Builds libvirt domain XML from a VM spec with the DOM API: every user value goes in as a text node or
 * attribute value and is escaped by the serializer, never pasted into markup. Names and paths are
 * validated again here (defence in depth): names by {@link Names}, paths by {@link Boot#requirePath} and
 * by the host's image roots.
 *
 * <p>Shape: direct kernel boot or a virtio disk; virtio NICs (user-mode by default, so guest ports can be
 * forwarded; a private network's NIC is a tap on the network's bridge with the stored MAC and MTU 1450, and its address
 * goes on a direct-boot kernel command line as {@code polyvisor.nic=MAC,IP/PREFIX,MTU}, which the tiny guest's init
 * reads, unless the network serves DHCP: then the guest asks its host's dnsmasq); the serial console written to {@code LOGDIR/UUID.serial.log}; the qemu-guest-agent channel;
 * the VM's name as SMBIOS product so a guest can tell who it is; {@link GuestData} as firmware configuration
 * entries; a guest reboot restarts, a crash stops.
 */
final class DomainXml {
    static final String AGENT_CHANNEL = "org.qemu.guest_agent.0";

    private DomainXml() {}

    static String build(UUID id, String name, VmSpec spec, DomainSettings s) {
        return build(id, name, spec, GuestData.none(), s);
    }

    /** As above, with {@code data} as QEMU firmware configuration entries {@code opt/io.polyvisor/NAME} (QEMU only). */
    static String build(UUID id, String name, VmSpec spec, GuestData data, DomainSettings s) {
        return build(id, name, spec, data, s, java.util.Map.of());
    }

    /**
     * As above, with the private networks this host carries, by name; a NIC on any other is refused (not retryable).
     */
    static String build(UUID id, String name, VmSpec spec, GuestData data, DomainSettings s, java.util.Map<String, Network> networks) {
        Names.requireName("VM", name);
        for (Nic nic : spec.nics()) {
            if (nic.privateNetwork() && !networks.containsKey(nic.network())) {
                throw new io.polyvisor.spi.DriverException("network " + nic.network() + " is not set up on this host: ensure it first");
            }
        }
        var domain = Xml.root("domain");
        domain.setAttribute("type", s.domainType());
        text(domain, "name", name);
        text(domain, "uuid", id.toString());
        text(domain, "memory", Long.toString(spec.memoryBytes() / 1024)).setAttribute("unit", "KiB");
        text(domain, "currentMemory", Long.toString(spec.memoryBytes() / 1024)).setAttribute("unit", "KiB");
        text(domain, "vcpu", Integer.toString(spec.vcpus()));
        if (s.qemuDevices()) sysinfo(domain, id, name);
        if (s.qemuDevices() && !data.isEmpty()) fwcfg(domain, data);
        os(domain, spec, s, nicArguments(spec, networks));
        var features = child(domain, "features");
        child(features, "acpi");
        child(features, "apic");
        if (s.qemuDevices()) cpu(domain, s);
        child(domain, "clock").setAttribute("offset", "utc");
        text(domain, "on_poweroff", "destroy");
        text(domain, "on_reboot", "restart");
        text(domain, "on_crash", "destroy");
        devices(child(domain, "devices"), id, spec, s, networks);
        return Xml.serialize(domain);
    }

    private static void sysinfo(Element domain, UUID id, String name) {
        var system = child(child(domain, "sysinfo"), "system");
        ((Element) system.getParentNode()).setAttribute("type", "smbios");
        entry(system, "manufacturer", "Polyvisor");
        entry(system, "product", name);
        entry(system, "serial", id.toString());
    }

    private static void fwcfg(Element domain, GuestData data) {
        var sysinfo = child(domain, "sysinfo");
        sysinfo.setAttribute("type", "fwcfg");
        data.entries().forEach((k, v) -> text(sysinfo, "entry", v).setAttribute("name", GuestData.FWCFG_PREFIX + k));
    }

    private static void entry(Element system, String name, String value) {
        text(system, "entry", value).setAttribute("name", name);
    }

    /**
     * {@code polyvisor.nic=MAC,IP/PREFIX,MTU} for each private NIC with an address on a network without DHCP,
     * space-separated (or empty).
     */
    static String nicArguments(VmSpec spec, java.util.Map<String, Network> networks) {
        var out = new StringBuilder();
        for (Nic nic : spec.nics()) {
            if (!nic.privateNetwork() || nic.ip() == null || nic.mac() == null) continue;
            if (networks.get(nic.network()).dhcp()) continue; // the guest asks the host's DHCP server
            io.polyvisor.network.Ipv4.parse("ip", nic.ip()); // checked again: it goes on a command line
            out.append(" polyvisor.nic=").append(nic.mac()).append(',').append(nic.ip()).append('/')
                    .append(networks.get(nic.network()).cidr().prefix()).append(',').append(Network.GUEST_MTU);
        }
        return out.toString();
    }

    private static void os(Element domain, VmSpec spec, DomainSettings s, String nicArguments) {
        Boot boot = spec.boot();
        var os = child(domain, "os");
        var type = text(os, "type", "hvm");
        type.setAttribute("arch", "x86_64");
        switch (boot) {
            case Boot.Kernel k -> {
                text(os, "kernel", imagePath("kernel", k.kernel(), s));
                if (k.initrd() != null) text(os, "initrd", imagePath("initrd", k.initrd(), s));
                String cmdline = (k.cmdline() + nicArguments).strip();
                if (!cmdline.isEmpty()) text(os, "cmdline", cmdline);
            }
            case Boot.Disk d -> child(os, "boot").setAttribute("dev", "hd");
            case Boot.None n -> child(os, "boot").setAttribute("dev", spec.disks().isEmpty() ? "network" : "hd");
        }
        if (s.qemuDevices()) child(os, "smbios").setAttribute("mode", "sysinfo");
    }

    private static void cpu(Element domain, DomainSettings s) {
        var cpu = child(domain, "cpu");
        if (s.hostCpu()) {
            cpu.setAttribute("mode", "host-model");
            return;
        }
        cpu.setAttribute("mode", "custom");
        cpu.setAttribute("match", "exact");
        text(cpu, "model", "qemu64").setAttribute("fallback", "allow");
    }

    private static void devices(Element devices, UUID id, VmSpec spec, DomainSettings s, java.util.Map<String, Network> networks) {
        if (spec.boot() instanceof Boot.Disk d) {
            var disk = child(devices, "disk");
            disk.setAttribute("type", "file");
            disk.setAttribute("device", "disk");
            var driver = child(disk, "driver");
            driver.setAttribute("name", "qemu");
            driver.setAttribute("type", DiskFormat.of(d.image()));
            child(disk, "source").setAttribute("file", imagePath("image", d.image(), s));
            var target = child(disk, "target");
            target.setAttribute("dev", "vda");
            target.setAttribute("bus", "virtio");
        }
        int next = spec.boot() instanceof Boot.Disk ? 1 : 0;
        for (var d : spec.disks()) volumeDisk(devices, d, next++);
        for (Nic nic : spec.nics()) interfaceOf(devices, nic, networks);
        if (!s.qemuDevices()) return;
        // a pty, so that virDomainOpenConsole can attach to it (the web console), with everything it prints logged
        var serial = child(devices, "serial");
        serial.setAttribute("type", "pty");
        var log = child(serial, "log");
        log.setAttribute("file", serialLog(s, id));
        log.setAttribute("append", "off");
        child(serial, "target").setAttribute("port", "0");
        var channel = child(devices, "channel");
        channel.setAttribute("type", "unix");
        var target = child(channel, "target");
        target.setAttribute("type", "virtio");
        target.setAttribute("name", AGENT_CHANNEL);
        var balloon = child(devices, "memballoon");
        balloon.setAttribute("model", "virtio");
        child(balloon, "stats").setAttribute("period", "2");
        var rng = child(devices, "rng");
        rng.setAttribute("model", "virtio");
        text(rng, "backend", "/dev/urandom").setAttribute("model", "random");
        if (spec.display() == Display.VNC) display(devices);
    }

    /**
     * A VGA adapter shown over VNC that listens nowhere: its only clients are the ones libvirt hands it
     * ({@link LibvirtGraphicalConsole}, virDomainOpenGraphicsFD), so no port is opened on the host.
     */
    private static void display(Element devices) {
        var graphics = child(devices, "graphics");
        graphics.setAttribute("type", "vnc");
        child(graphics, "listen").setAttribute("type", "none");
        var model = child(child(devices, "video"), "model");
        model.setAttribute("type", "vga");
        model.setAttribute("heads", "1");
    }

    /**
     * A volume of the host's pool or of a shared pool, by pool and volume name ({@code type='volume'}): libvirt resolves the file on the host
     * itself, so the same XML works for a remote host. Format always qcow2 (never probed).
     */
    private static void volumeDisk(Element devices, io.polyvisor.model.Disk d, int index) {
        volumeDisk(devices, d.pool() == null ? LibvirtStorage.POOL : d.pool(), LibvirtStorage.volumeFile(d.volume()), "vd" + (char) ('a' + index), d.bus());
    }

    /** One {@code <disk type='volume'>} device alone, for a hot-plug ({@link LibvirtDisks}). */
    static String volumeDiskXml(String pool, String file, String dev, String bus) {
        var devices = Xml.root("devices");
        volumeDisk(devices, pool, file, dev, bus);
        return Xml.serializeElement((Element) devices.getFirstChild());
    }

    /**
     * A disk in a shared pool has {@code cache='none'}: no host page cache, so what one host wrote is what the next host
     * to open the file reads (after a live migration or an HA restart), as libvirt and QEMU require of shared storage.
     */
    private static void volumeDisk(Element devices, String pool, String file, String dev, String bus) {
        var disk = child(devices, "disk");
        disk.setAttribute("type", "volume");
        disk.setAttribute("device", "disk");
        var driver = child(disk, "driver");
        driver.setAttribute("name", "qemu");
        driver.setAttribute("type", "qcow2");
        if (!pool.equals(LibvirtStorage.POOL)) driver.setAttribute("cache", "none");
        var source = child(disk, "source");
        source.setAttribute("pool", pool);
        source.setAttribute("volume", file);
        var target = child(disk, "target");
        target.setAttribute("dev", dev);
        target.setAttribute("bus", bus);
    }

    /** One private NIC's {@code <interface>} element on its own, as hot plug takes it. */
    static String interfaceXml(Nic nic, Network net) {
        var doc = Xml.newDocument();
        var holder = doc.createElement("devices");
        doc.appendChild(holder);
        interfaceOf(holder, nic, java.util.Map.of(net.name(), net));
        var iface = holder.getFirstChild();
        doc.replaceChild(iface, holder); // the interface becomes the document
        return Xml.serialize(doc);
    }

    /** The domain's {@code <interface>} with MAC {@code mac}, on its own (what libvirt takes to unplug it), if it has one. */
    static java.util.Optional<String> interfaceWithMac(String domainXml, String mac) {
        var nodes = Xml.parse(domainXml).getElementsByTagName("interface");
        for (int i = 0; i < nodes.getLength(); i++) {
            var iface = (Element) nodes.item(i);
            var macs = iface.getElementsByTagName("mac");
            if (macs.getLength() > 0 && mac.equals(((Element) macs.item(0)).getAttribute("address"))) {
                var doc = Xml.newDocument();
                doc.appendChild(doc.importNode(iface, true));
                return java.util.Optional.of(Xml.serialize(doc));
            }
        }
        return java.util.Optional.empty();
    }

    private static void interfaceOf(Element devices, Nic nic, java.util.Map<String, Network> networks) {
        var iface = child(devices, "interface");
        Network net = nic.privateNetwork() ? networks.get(nic.network()) : null;
        if (net == null) {
            iface.setAttribute("type", "user");
        } else {
            iface.setAttribute("type", "bridge");
            child(iface, "source").setAttribute("bridge", net.bridge());
        }
        if (nic.mac() != null) child(iface, "mac").setAttribute("address", nic.mac());
        child(iface, "model").setAttribute("type", "virtio");
        if (net != null) child(iface, "mtu").setAttribute("size", Integer.toString(Network.GUEST_MTU));
    }

    /** Where the VM's serial console is logged on its host. */
    static String serialLog(DomainSettings s, UUID id) {
        return s.logDir() + "/" + id + ".serial.log";
    }

    /**
     * Validates a host path and checks it lies under one of the host's image roots. On a local host the check is made
     * on the real path (links resolved, so /tmp/k pointing at /etc/shadow is refused) and the file must exist as a
     * regular file; the real path is what the domain gets, so the link cannot be swapped afterwards. A remote host's
     * files cannot be seen from here: their paths are checked as written.
     */
    static String imagePath(String field, String path, DomainSettings s) {
        Boot.requirePath(field, path);
        String checked = path;
        if (s.localFiles()) {
            java.nio.file.Path real;
            try {
                real = java.nio.file.Path.of(path).toRealPath();
            } catch (java.io.IOException e) {
                throw new InvalidInput(field + " file '" + path + "' does not exist on this host");
            }
            InvalidInput.require(java.nio.file.Files.isRegularFile(real), field + " '" + path + "' is not a regular file");
            checked = real.toString();
        }
        for (var root : s.imageRoots()) {
            for (String r : s.localFiles() ? realRoots(root) : java.util.List.of(root)) {
                if (checked.startsWith(r.endsWith("/") ? r : r + "/")) return checked;
            }
        }
        throw new InvalidInput(field + " path must be under one of " + String.join(", ", s.imageRoots()) + ", got '" + path + "'"
                + (checked.equals(path) ? "" : " (it resolves to '" + checked + "')"));
    }

    /** A root as written and, when it exists and differs, as its real path (/var/tmp may itself be a link). */
    private static java.util.List<String> realRoots(String root) {
        try {
            String real = java.nio.file.Path.of(root).toRealPath().toString();
            return real.equals(root) ? java.util.List.of(root) : java.util.List.of(root, real);
        } catch (java.io.IOException e) {
            return java.util.List.of(root);
        }
    }

    private static Element child(Element parent, String tag) {
        return Xml.child(parent, tag);
    }

    private static Element text(Element parent, String tag, String value) {
        return Xml.text(parent, tag, value);
    }
}
