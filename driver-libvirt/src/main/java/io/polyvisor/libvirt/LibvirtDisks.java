package io.polyvisor.libvirt;

import io.polyvisor.spi.DriverException;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Disks of a domain that are volumes of a pool ({@code <disk type='volume'>}; new ones from this view's pool), attached
 * and detached with {@code virDomainAttachDeviceFlags}/{@code virDomainDetachDeviceFlags}: live and config when the
 * domain runs (hot-plug), config only when it is off. A new disk takes the first device name ({@code vda}..{@code vdp})
 * that neither the running guest nor the definition uses. A live detach needs the guest to release the device: it is
 * waited for up to {@value #RELEASE_SECONDS} s.
 */
final class LibvirtDisks {
    static final int RELEASE_SECONDS = 15;
    private static final int LIVE = 1;
    private static final int CONFIG = 2;
    private static final int XML_INACTIVE = 2;

    private final LibvirtConnection host;
    /** The pool whose volumes this attaches. */
    private final LibvirtStorage pool;

    LibvirtDisks(LibvirtConnection host, LibvirtStorage pool) {
        this.host = host;
        this.pool = pool;
    }

    List<String> list(UUID vm) {
        return host.call("list disks", () -> volumes(Xml.parse(domain(vm).getXMLDesc(0))));
    }

    void attach(UUID vm, String volume, String bus) {
        String file = LibvirtStorage.volumeFile(volume);
        if (!pool.hasVolume(volume)) {
            throw new DriverException("volume " + volume + " does not exist in pool " + pool.poolName() + " on " + host.hostUri().libvirt());
        }
        host.call("attach volume " + volume, () -> {
            var d = domain(vm);
            var live = Xml.parse(d.getXMLDesc(0));
            var config = Xml.parse(d.getXMLDesc(XML_INACTIVE));
            if (volumes(live).contains(volume) && volumes(config).contains(volume)) return null;
            var used = new HashSet<String>();
            used.addAll(targets(live));
            used.addAll(targets(config));
            String dev = free(used).orElseThrow(() -> new DriverException("vm " + vm + " has no free disk device name (vda..vdp)"));
            d.attachDeviceFlags(DomainXml.volumeDiskXml(pool.poolName(), file, dev, bus), d.isActive() == 1 ? LIVE | CONFIG : CONFIG);
            return null;
        });
    }

    void detach(UUID vm, String volume) {
        host.call("detach volume " + volume, () -> {
            var d = domain(vm);
            var disk = disk(Xml.parse(d.getXMLDesc(0)), volume).or(() -> disk(parseQuietly(d), volume));
            if (disk.isEmpty()) return null;
            boolean running = d.isActive() == 1;
            d.detachDeviceFlags(Xml.serializeElement(disk.get()), running ? LIVE | CONFIG : CONFIG);
            long deadline = System.nanoTime() + RELEASE_SECONDS * 1_000_000_000L;
            while (running && volumes(Xml.parse(d.getXMLDesc(0))).contains(volume)) {
                if (System.nanoTime() > deadline) {
                    throw new DriverException("the guest did not release volume " + volume + " within " + RELEASE_SECONDS + " s");
                }
                pause();
            }
            return null;
        });
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("interrupted while waiting for the guest to release a disk", true, e);
        }
    }

    private static Element parseQuietly(Domain d) {
        try {
            return Xml.parse(d.getXMLDesc(XML_INACTIVE));
        } catch (LibvirtException e) {
            throw new DriverException(e.getMessage());
        }
    }

    private Domain domain(UUID vm) throws LibvirtException {
        return ((LibvirtCompute) host.compute()).require(vm);
    }

    /** The volumes among the domain's disks, of any pool (volume names are unique), in document (guest) order. */
    static List<String> volumes(Element domain) {
        var out = new ArrayList<String>();
        for (var file : LibvirtMigration.volumeFiles(Xml.serialize(domain), null)) out.add(file.substring(0, file.length() - ".qcow2".length()));
        return out;
    }

    private static Set<String> targets(Element domain) {
        var out = new HashSet<String>();
        var disks = domain.getElementsByTagName("disk");
        for (int i = 0; i < disks.getLength(); i++) {
            var t = ((Element) disks.item(i)).getElementsByTagName("target");
            if (t.getLength() > 0) out.add(((Element) t.item(0)).getAttribute("dev"));
        }
        return out;
    }

    private static Optional<String> free(Set<String> used) {
        for (char c = 'a'; c <= 'p'; c++) {
            if (!used.contains("vd" + c)) return Optional.of("vd" + c);
        }
        return Optional.empty();
    }

    private static Optional<Element> disk(Element domain, String volume) {
        String file = LibvirtStorage.volumeFile(volume);
        var disks = domain.getElementsByTagName("disk");
        for (int i = 0; i < disks.getLength(); i++) {
            var disk = (Element) disks.item(i);
            var src = disk.getElementsByTagName("source");
            if (!"volume".equals(disk.getAttribute("type")) || src.getLength() == 0) continue;
            var s = (Element) src.item(0);
            if (file.equals(s.getAttribute("volume"))) return Optional.of(disk);
        }
        return Optional.empty();
    }
}
