package io.polyvisor.libvirt;

import io.polyvisor.model.InvalidInput;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A host URI as Polyvisor users write it: a libvirt URI plus optional Polyvisor settings in its query,
 * which are removed before libvirt sees the URI (libvirt's own parameters such as {@code socket=} stay):
 * <ul>
 *   <li>{@code domain_type=kvm|qemu} — QEMU domain type; default: kvm when a probe shows it works, else qemu (TCG);</li>
 *   <li>{@code migrate_host=ADDR} — address other hosts use to reach this one for migration data
 *       (default 127.0.0.1 for local URIs, else libvirt's choice);</li>
 *   <li>{@code log_dir=/abs/dir} — where serial console logs go on the host (default /var/log/libvirt/qemu);</li>
 *   <li>{@code image_roots=/a:/b} — folders kernels, initrds and disk images must be under;</li>
 *   <li>{@code pool_dir=/abs/dir} — the folder of the host's storage pool {@code polyvisor}, on the host (default
 *       /var/lib/libvirt/polyvisor; libvirt makes it when it makes the pool).</li>
 * </ul>
 */
record HostUri(URI polyvisor, String libvirt, String domainType, String migrateHost, String logDir, List<String> imageRoots,
               String poolDir) {
    static final List<String> DEFAULT_IMAGE_ROOTS = List.of("/var/lib/libvirt/images", "/var/lib/polyvisor", "/srv", "/var/tmp", "/tmp");
    static final String DEFAULT_LOG_DIR = "/var/log/libvirt/qemu";
    static final String DEFAULT_POOL_DIR = "/var/lib/libvirt/polyvisor";
    private static final Set<String> OURS = Set.of("domain_type", "migrate_host", "log_dir", "image_roots", "pool_dir");

    static HostUri parse(URI uri) {
        var params = query(uri.getRawQuery());
        var kept = new ArrayList<String>();
        for (var e : params.entrySet()) {
            if (!OURS.contains(e.getKey())) kept.add(e.getValue().raw);
        }
        var type = value(params, "domain_type");
        InvalidInput.require(type == null || type.equals("kvm") || type.equals("qemu"),
                "domain_type must be kvm or qemu, got '" + type + "'");
        var logDir = value(params, "log_dir");
        logDir = logDir == null ? DEFAULT_LOG_DIR : io.polyvisor.model.Boot.requirePath("log_dir", logDir);
        var roots = value(params, "image_roots");
        var imageRoots = roots == null ? DEFAULT_IMAGE_ROOTS
                : List.of(roots.split(":")).stream().map(r -> io.polyvisor.model.Boot.requirePath("image_roots", r)).toList();
        var poolDir = value(params, "pool_dir");
        poolDir = poolDir == null ? DEFAULT_POOL_DIR : io.polyvisor.model.Boot.requirePath("pool_dir", poolDir);
        var migrateHost = value(params, "migrate_host");
        InvalidInput.require(migrateHost == null || migrateHost.matches("[A-Za-z0-9.:\\[\\]-]{1,253}"),
                "migrate_host must be a host name or address, got '" + migrateHost + "'");
        var raw = uri.toString();
        int q = raw.indexOf('?');
        var base = q < 0 ? raw : raw.substring(0, q);
        var libvirt = kept.isEmpty() ? base : base + "?" + String.join("&", kept);
        return new HostUri(uri, libvirt, type, migrateHost, logDir, imageRoots, poolDir);
    }

    /** Whether the hypervisor runs on this machine (no host name in the URI). */
    boolean local() {
        var host = polyvisor.getHost();
        return host == null || host.isEmpty() || host.equals("localhost") || host.equals("127.0.0.1");
    }

    /** The address migration data should be sent to on this host, or null to let libvirt choose. */
    String migrationAddress() {
        if (migrateHost != null) return migrateHost;
        return local() ? "127.0.0.1" : null;
    }

    private record Param(String raw, String value) {}

    private static Map<String, Param> query(String rawQuery) {
        var out = new LinkedHashMap<String, Param>();
        if (rawQuery == null || rawQuery.isEmpty()) return out;
        for (var part : rawQuery.split("&")) {
            if (part.isEmpty()) continue;
            int eq = part.indexOf('=');
            var key = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            var value = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(key, new Param(part, value));
        }
        return out;
    }

    private static String value(Map<String, Param> params, String key) {
        var p = params.get(key);
        return p == null ? null : p.value;
    }

    /** Whether the daemon runs on this machine, so its paths are this machine's: no host in the libvirt URI. */
    boolean localFiles() {
        String host = URI.create(libvirt).getHost();
        return host == null || host.isEmpty();
    }
}
