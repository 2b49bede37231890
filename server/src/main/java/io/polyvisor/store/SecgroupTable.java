package io.polyvisor.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.network.SecurityGroup;
import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** Rows of {@code secgroups} and {@code secgroup_members} (docs/NETWORKS.md). */
final class SecgroupTable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SecgroupTable() {}

    static void insert(Tx tx, SecurityGroup g) {
        tx.guarded(() -> tx.handle.createUpdate("INSERT INTO secgroups (name, rules) VALUES (:n, :r)")
                .bind("n", g.name()).bind("r", rules(g)).execute(), () -> new Store.Conflict("a security group named " + g.name() + " already exists"));
    }

    static void replaceRules(Tx tx, SecurityGroup g) {
        int n = tx.handle.createUpdate("UPDATE secgroups SET rules = :r WHERE name = :n").bind("n", g.name()).bind("r", rules(g)).execute();
        if (n == 0) throw new Store.Conflict("security group " + g.name() + " was deleted meanwhile");
    }

    static void delete(Tx tx, String name) {
        tx.referenced(() -> tx.handle.createUpdate("DELETE FROM secgroups WHERE name = :n").bind("n", name).execute(), () -> {
            String vm = tx.handle.createQuery("SELECT v.name FROM secgroup_members m JOIN vms v ON v.id = m.vm_id WHERE m.secgroup = :n ORDER BY v.name")
                    .bind("n", name).mapTo(String.class).findFirst().orElse("a VM");
            return new Store.Conflict("security group " + name + " still has member vm " + vm);
        });
    }

    static Optional<SecurityGroup> byName(Handle h, String name) {
        return h.createQuery("SELECT * FROM secgroups WHERE name = :n").bind("n", name).map((rs, ctx) -> read(rs)).findOne();
    }

    static Optional<SecurityGroup> byNameForUpdate(Handle h, String name) {
        return h.createQuery("SELECT * FROM secgroups WHERE name = :n FOR UPDATE").bind("n", name).map((rs, ctx) -> read(rs)).findOne();
    }

    static List<SecurityGroup> all(Handle h) {
        return h.createQuery("SELECT * FROM secgroups ORDER BY name").map((rs, ctx) -> read(rs)).list();
    }

    static void addMember(Tx tx, String group, UUID vm) {
        tx.guarded(() -> tx.handle.createUpdate("INSERT INTO secgroup_members (secgroup, vm_id) VALUES (:g, :v)")
                .bind("g", group).bind("v", vm).execute(), () -> new Store.Conflict("the VM is already a member of security group " + group));
    }

    static void removeMember(Handle h, String group, UUID vm) {
        h.createUpdate("DELETE FROM secgroup_members WHERE secgroup = :g AND vm_id = :v").bind("g", group).bind("v", vm).execute();
    }

    static Map<UUID, Set<String>> members(Handle h) {
        var out = new HashMap<UUID, Set<String>>();
        h.createQuery("SELECT secgroup, vm_id FROM secgroup_members").map((rs, ctx) -> Map.entry(rs.getObject("vm_id", UUID.class), rs.getString("secgroup")))
                .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).add(e.getValue()));
        return out;
    }

    private static String rules(SecurityGroup g) {
        var list = new ArrayList<Map<String, String>>();
        for (var r : g.rules()) {
            var m = new LinkedHashMap<String, String>();
            if (r.direction() == SecurityGroup.Direction.EGRESS) m.put("direction", r.direction().word());
            m.put("allow", r.allow());
            m.put(r.direction().remoteField(), r.remote().toString());
            list.add(m);
        }
        try {
            return MAPPER.writeValueAsString(list);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SecurityGroup read(ResultSet rs) throws SQLException {
        try {
            List<Map<String, String>> list = MAPPER.readValue(rs.getString("rules"), new TypeReference<>() {});
            return new SecurityGroup(rs.getString("name"), list.stream().map(m -> SecurityGroup.Rule.parse(m.get("direction"), m.get("allow"), m.get("from"), m.get("to"))).toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt rules of security group " + rs.getString("name"), e);
        }
    }
}
