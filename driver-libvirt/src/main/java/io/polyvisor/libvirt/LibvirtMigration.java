package io.polyvisor.libvirt;

import io.polyvisor.spi.DriverException;
import io.polyvisor.spi.HostConnection;
import io.polyvisor.spi.Migration;
import io.polyvisor.spi.MigrationResult;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.TypedParameter;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleConsumer;

/**
 * Live migration, managed by this client (not peer-to-peer): {@code LIVE | PERSIST_DEST | UNDEFINE_SOURCE},
 * so on success the VM is defined and running only on the destination. A VM with volumes of the host's pool is
 * block-migrated ({@code NON_SHARED_DISK}): libvirt makes the volumes in the destination's pool, QEMU copies the disks,
 * and on success the source's volumes are deleted, so the VM and its disks are on the destination only. A VM whose disks
 * are all in shared pools is migrated without copying them (the destination opens the same files); one with disks of
 * both kinds is refused. Migration data goes to the
 * destination's {@link HostUri#migrationAddress()} ({@code tcp://127.0.0.1} for hosts on this machine, whose
 * host names are all the same). Progress is read from the job info every 200 ms; the figures come from
 * the destination's completed-job statistics (QEMU's own downtime), with wall time as the fallback.
 */
final class LibvirtMigration implements Migration {
    private static final long FLAGS = Domain.MigrateFlags.LIVE | Domain.MigrateFlags.PERSIST_DEST | Domain.MigrateFlags.UNDEFINE_SOURCE;

    private final LibvirtConnection source;

    LibvirtMigration(LibvirtConnection source) {
        this.source = source;
    }

    @Override
    public MigrationResult migrate(UUID id, HostConnection destination, DoubleConsumer progress) {
        if (!(destination instanceof LibvirtConnection dest)) {
            throw new DriverException("cannot migrate from libvirt host " + source.hostUri().libvirt()
                    + " to " + destination.driver() + " host " + destination.uri());
        }
        if (dest.kind() != source.kind()) {
            throw new DriverException("cannot migrate between " + source.kind() + " and " + dest.kind() + " hosts");
        }
        var address = dest.hostUri().migrationAddress();
        var migrateUri = address == null ? null : "tcp://" + address;
        var domain = source.call("migrate", () -> source.compute() instanceof LibvirtCompute c ? c.require(id) : null);
        // a VM with pool volumes is block-migrated: libvirt makes the volumes in the destination's pool and QEMU copies
        // the disks (NBD) before the memory; the copies are whole (backing files flattened), the source's are deleted after
        var xml = source.call("read disks", () -> domain.getXMLDesc(0));
        var volumes = poolVolumes(xml);
        var shared = volumeFiles(xml, null).size() - volumes.size();
        long flags = FLAGS;
        if (!volumes.isEmpty() && shared > 0) {
            // NON_SHARED_DISK would copy the shared disks too, onto the very files the source is using
            throw new DriverException("cannot live-migrate a VM with disks both in the host's local pool and in shared pools");
        }
        if (!volumes.isEmpty()) {
            dest.storage().pool();
            flags |= Domain.MigrateFlags.NON_SHARED_DISK;
        } else if (shared > 0) {
            // the destination's libvirt may not have read the pool's folder since another host made the volume: refresh
            // and check each (a host that lacks the pool fails here, before anything moves)
            var destStorage = (LibvirtStorage) dest.storage();
            for (var disk : sharedDisks(xml)) {
                String volume = disk.getValue().substring(0, disk.getValue().length() - ".qcow2".length());
                if (!destStorage.hasVolumeIn(disk.getKey(), volume)) {
                    throw new DriverException("volume " + volume + " is not in shared pool " + disk.getKey() + " as "
                            + dest.hostUri().libvirt() + " sees it");
                }
            }
            // every disk is in a pool the operator declared shared on both hosts (and has cache='none'): a plain live
            // migration. libvirt's own check recognises shared storage only by file system type (NFS, GFS2, Ceph...),
            // which a declared pool need not have (the test fleet's is a local directory every host sees): skip it.
            flags |= Domain.MigrateFlags.UNSAFE;
        }
        final long migrateFlags = flags;
        var poller = Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, "migration-progress-" + id);
            t.setDaemon(true);
            return t;
        });
        var monotonic = new MonotonicProgress(progress);
        poller.scheduleAtFixedRate(() -> report(domain, monotonic), 200, 200, TimeUnit.MILLISECONDS);
        long started = System.nanoTime();
        Domain moved;
        try {
            moved = source.call("migrate to " + dest.hostUri().libvirt(), () -> domain.migrate(dest.live(), migrateFlags, null, migrateUri, 0));
        } finally {
            poller.shutdownNow();
        }
        long wallMillis = (System.nanoTime() - started) / 1_000_000;
        for (String file : volumes) source.storage().deleteVolume(file.substring(0, file.length() - ".qcow2".length()));
        monotonic.finish();
        var stats = NativeCalls.run(() -> completedStats(moved));
        return new MigrationResult(stats.getOrDefault("time_elapsed", wallMillis),
                stats.getOrDefault("downtime", -1L), stats.getOrDefault("memory_processed", stats.getOrDefault("data_processed", 0L)));
    }

    /** The volume files of the {@value LibvirtStorage#POOL} pool among the domain's disks. */
    static java.util.List<String> poolVolumes(String domainXml) {
        return volumeFiles(domainXml, LibvirtStorage.POOL);
    }

    /** (pool, volume file) of each disk of the domain in a pool other than {@value LibvirtStorage#POOL}. */
    static java.util.List<java.util.Map.Entry<String, String>> sharedDisks(String domainXml) {
        var out = new java.util.ArrayList<java.util.Map.Entry<String, String>>();
        var disks = Xml.parse(domainXml).getElementsByTagName("disk");
        for (int i = 0; i < disks.getLength(); i++) {
            var disk = (org.w3c.dom.Element) disks.item(i);
            if (!"volume".equals(disk.getAttribute("type"))) continue;
            var src = (org.w3c.dom.Element) disk.getElementsByTagName("source").item(0);
            if (src != null && !LibvirtStorage.POOL.equals(src.getAttribute("pool")) && src.getAttribute("volume").endsWith(".qcow2")) {
                out.add(java.util.Map.entry(src.getAttribute("pool"), src.getAttribute("volume")));
            }
        }
        return out;
    }

    /** The volume files of pool {@code pool} (null: any pool) among the domain's disks, in document order. */
    static java.util.List<String> volumeFiles(String domainXml, String pool) {
        var out = new java.util.ArrayList<String>();
        var disks = Xml.parse(domainXml).getElementsByTagName("disk");
        for (int i = 0; i < disks.getLength(); i++) {
            var disk = (org.w3c.dom.Element) disks.item(i);
            if (!"volume".equals(disk.getAttribute("type"))) continue;
            var src = (org.w3c.dom.Element) disk.getElementsByTagName("source").item(0);
            if (src != null && (pool == null || pool.equals(src.getAttribute("pool"))) && src.getAttribute("volume").endsWith(".qcow2")) {
                out.add(src.getAttribute("volume"));
            }
        }
        return out;
    }

    private static void report(Domain domain, MonotonicProgress progress) {
        try {
            var job = domain.getJobInfo();
            if (job.getDataTotal() > 0) progress.report(Math.min(0.99, (double) job.getDataProcessed() / job.getDataTotal()));
        } catch (LibvirtException | RuntimeException e) {
            // job not started yet, or finished: nothing to report
        }
    }

    /** Completed-job statistics of the migrated domain (destination side), by field name; empty if unavailable. */
    private static Map<String, Long> completedStats(Domain moved) {
        var out = new HashMap<String, Long>();
        try {
            var stats = moved.getJobStats(Domain.DomainGetJobStatsFlags.COMPLETED);
            for (TypedParameter p : stats.stats) {
                try {
                    out.put(p.field, Long.parseLong(p.getValueAsString()));
                } catch (NumberFormatException notANumber) {
                    // string or double figures are not used
                }
            }
        } catch (LibvirtException e) {
            // older daemons keep no completed stats on the destination
        }
        return out;
    }
}
