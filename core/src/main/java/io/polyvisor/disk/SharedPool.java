package io.polyvisor.disk;

import io.polyvisor.model.Host;
import io.polyvisor.model.InvalidInput;
import io.polyvisor.model.Names;
import io.polyvisor.model.Strings;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A storage pool that several hosts reach at the same path (an NFS export all of them mount there, for example), as
 * Proxmox declares a storage {@code shared} on a list of nodes: a volume in it is one file that every host declaring the
 * pool can open, so a VM whose disks are all in shared pools can run, live-migrate (without copying its disks) and be
 * restarted by HA on any host that declares every one of them. Polyvisor does not mount anything: the operator declares
 * which hosts have the directory mounted, and each of those hosts gets a libvirt {@code dir} pool of this name there.
 * A host that declares a pool carries the label {@link #LABEL_PREFIX}NAME={@value #LABEL_VALUE} (derived by the store,
 * not settable by users), which is what placement reads.
 *
 * @param path  the directory on every declaring host (absolute, normalised)
 * @param hosts the hosts that mount it, sorted, at least one
 */
public record SharedPool(String name, String path, List<String> hosts) {
    public static final int MAX_NAME = 40;
    /** Every host's own pool: not a shared pool's name. */
    public static final String LOCAL = "polyvisor";
    public static final String LABEL_PREFIX = "pool.polyvisor.io/";
    public static final String LABEL_VALUE = "shared";

    public SharedPool {
        StorageNames.pool(name);
        path = requireDirectory(path);
        InvalidInput.require(hosts != null && !hosts.isEmpty(), "a shared pool needs at least one host that mounts it");
        InvalidInput.require(hosts.size() <= 64, "a shared pool is declared on at most 64 hosts, got " + hosts.size());
        var sorted = new TreeSet<String>();
        for (String h : hosts) {
            Names.requireName("host", h);
            InvalidInput.require(sorted.add(h), "host " + h + " is named twice");
        }
        hosts = List.copyOf(sorted);
    }

    /** Whether {@code host} declares pool {@code pool} (by its derived label). */
    public static boolean declaredOn(Host host, String pool) {
        return LABEL_VALUE.equals(host.labels().get(LABEL_PREFIX + pool));
    }

    /** The labels a host that declares {@code pools} carries for them. */
    public static Map<String, String> labels(List<String> pools) {
        var out = new java.util.LinkedHashMap<String, String>();
        for (String p : pools) out.put(LABEL_PREFIX + p, LABEL_VALUE);
        return out;
    }

    /**
     * An absolute, normalised directory path of printable characters, at most 1024 long, never {@code /}: libvirt makes
     * the pool's folder there when absent.
     */
    static String requireDirectory(String path) {
        InvalidInput.require(path != null && !path.isEmpty(), "path is required (the directory every host mounts the pool at)");
        InvalidInput.require(path.length() <= 1024, "path must be at most 1024 characters, got " + path.length());
        InvalidInput.require(path.chars().noneMatch(c -> Character.isISOControl(c)) && path.indexOf('\'') < 0 && path.indexOf('"') < 0,
                "path must be printable, without quotes, got '" + Strings.printable(path) + "'");
        InvalidInput.require(path.startsWith("/"), "path must be absolute, got '" + Strings.printable(path) + "'");
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (String seg : trimmed.substring(1).split("/", -1)) {
            InvalidInput.require(!seg.isEmpty() && !seg.equals(".") && !seg.equals(".."),
                    "path must be normalised (no empty, '.' or '..' segments), got '" + Strings.printable(path) + "'");
        }
        return trimmed;
    }
}
