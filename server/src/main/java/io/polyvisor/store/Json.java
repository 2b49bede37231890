package io.polyvisor.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polyvisor.model.Nic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON text stored in map and list columns. Written explicitly (no record reflection) so that the
 * stored form does not change when a model record gains a component. Maps are written with sorted keys.
 */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};
    private static final TypeReference<List<Integer>> INT_LIST = new TypeReference<>() {};
    private static final TypeReference<List<Map<String, String>>> MAP_LIST = new TypeReference<>() {};

    private Json() {}

    static String strings(Map<String, String> map) {
        return write(new TreeMap<>(map));
    }

    static Map<String, String> strings(String json) {
        return read(json, STRING_MAP);
    }

    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {};

    /** A set of names, sorted. */
    static String names(java.util.Set<String> names) {
        return write(new java.util.TreeSet<>(names));
    }

    static java.util.Set<String> names(String json) {
        return java.util.Set.copyOf(read(json, STRING_LIST));
    }

    static String ints(List<Integer> list) {
        return write(list);
    }

    static List<Integer> ints(String json) {
        return read(json, INT_LIST);
    }

    static String nics(List<Nic> nics) {
        var out = new ArrayList<Map<String, String>>();
        for (Nic n : nics) {
            var m = new LinkedHashMap<String, String>();
            m.put("network", n.network());
            m.put("mac", n.mac());
            if (n.ip() != null) m.put("ip", n.ip()); // absent before networks existed, and on user-mode NICs
            out.add(m);
        }
        return write(out);
    }

    static List<Nic> nics(String json) {
        return read(json, MAP_LIST).stream().map(m -> new Nic(m.get("network"), m.get("mac"), m.get("ip"))).toList();
    }

    static String disks(List<io.polyvisor.model.Disk> disks) {
        var out = new ArrayList<Map<String, String>>();
        for (var d : disks) {
            var m = new LinkedHashMap<String, String>();
            m.put("volume", d.volume());
            m.put("bus", d.bus());
            if (d.pool() != null) m.put("pool", d.pool());
            out.add(m);
        }
        return write(out);
    }

    static List<io.polyvisor.model.Disk> disks(String json) {
        return read(json, MAP_LIST).stream().map(m -> new io.polyvisor.model.Disk(m.get("volume"), m.get("bus"), m.get("pool"))).toList();
    }

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column: " + e.getOriginalMessage(), e);
        }
    }
}
