package io.polyvisor.store;

import io.polyvisor.network.Cidr;
import io.polyvisor.network.Ipv4;
import io.polyvisor.network.Network;
import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Rows of {@code networks} and {@code nic_addresses} (docs/NETWORKS.md). */
final class NetworkTable {
    private NetworkTable() {}

    /** Increments the {@code network_vni} counter, which stays locked until the transaction ends, and returns it. */
    static int nextVni(Handle h) {
        h.createUpdate("UPDATE counters SET last_value = last_value + 1 WHERE counter = 'network_vni'").execute();
        return Math.toIntExact(h.createQuery("SELECT last_value FROM counters WHERE counter = 'network_vni'").mapTo(Long.class).one());
    }

    static void insert(Tx tx, Network n, Instant now) {
        tx.guarded(() -> tx.handle.createUpdate("""
                        INSERT INTO networks (name, cidr, gateway, dhcp, vni, created) VALUES (:name, :cidr, :gateway, :dhcp, :vni, :now)""")
                .bind("name", n.name()).bind("cidr", n.cidr().toString()).bind("gateway", n.gateway().toString())
                .bind("dhcp", n.dhcp()).bind("vni", n.vni()).bind("now", now.atOffset(ZoneOffset.UTC)).execute(),
                () -> byName(tx.handle, n.name()).isPresent() ? new Store.Conflict("a network named " + n.name() + " already exists")
                        : new Store.Conflict("vni " + n.vni() + " is taken"));
    }

    /** Deletes the network; a {@link Store.Conflict} naming a VM if a NIC still holds an address on it. */
    static void delete(Tx tx, String name) {
        tx.referenced(() -> tx.handle.createUpdate("DELETE FROM networks WHERE name = :name").bind("name", name).execute(), () -> {
            String vm = tx.handle.createQuery("""
                            SELECT v.name FROM nic_addresses a JOIN vms v ON v.id = a.vm_id WHERE a.network = :n ORDER BY v.name""")
                    .bind("n", name).mapTo(String.class).findFirst().orElse("a VM");
            return new Store.Conflict("network " + name + " is in use by vm " + vm);
        });
    }

    static Optional<Network> byName(Handle h, String name) {
        return h.createQuery("SELECT * FROM networks WHERE name = :name").bind("name", name).map((rs, ctx) -> read(rs)).findOne();
    }

    static List<Network> all(Handle h) {
        return h.createQuery("SELECT * FROM networks ORDER BY name").map((rs, ctx) -> read(rs)).list();
    }

    static void reserve(Tx tx, String network, String address, String mac, UUID vm) {
        tx.guarded(() -> tx.handle.createUpdate("INSERT INTO nic_addresses (network, address, mac, vm_id) VALUES (:n, :a, :m, :v)")
                        .bind("n", network).bind("a", address).bind("m", mac).bind("v", vm).execute(),
                () -> addresses(tx.handle, network).containsKey(address)
                        ? new Store.Conflict("address " + address + " on network " + network + " is taken")
                        : new Store.Conflict("mac " + mac + " is taken"));
    }

    static void release(Tx tx, String network, String address) {
        tx.handle.createUpdate("DELETE FROM nic_addresses WHERE network = :n AND address = :a").bind("n", network).bind("a", address).execute();
    }

    /** Address to the VM holding it, by address text. */
    static Map<String, UUID> addresses(Handle h, String network) {
        var out = new LinkedHashMap<String, UUID>();
        h.createQuery("SELECT address, vm_id FROM nic_addresses WHERE network = :n ORDER BY address").bind("n", network)
                .map((rs, ctx) -> Map.entry(rs.getString("address"), rs.getObject("vm_id", UUID.class)))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static Network read(ResultSet rs) throws SQLException {
        return new Network(rs.getString("name"), Cidr.parse(rs.getString("cidr")), Ipv4.parse("gateway", rs.getString("gateway")),
                rs.getBoolean("dhcp"), rs.getInt("vni"));
    }
}
