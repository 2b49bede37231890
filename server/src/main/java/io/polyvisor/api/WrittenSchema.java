package io.polyvisor.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Building blocks for schemas written by hand ({@link Payload.Written}): request bodies, whose parsers
 * ({@link Body}) accept more than one Java type could say (a size as text or bytes, a partial update).
 * Objects are closed ({@code additionalProperties: false}) as the parsers refuse unknown fields.
 */
public final class WrittenSchema {
    private WrittenSchema() {}

    public static final Map<String, Object> STRING = fixed("type", "string");
    public static final Map<String, Object> BOOLEAN = fixed("type", "boolean");
    /** An object of string values ({@link Body#stringMap}). */
    public static final Map<String, Object> LABELS = fixed("type", "object", "additionalProperties", STRING);

    /** A closed object with {@code properties} given as alternating names and schemas. */
    public static Map<String, Object> object(List<String> required, Object... properties) {
        var m = map("type", "object", "additionalProperties", false, "properties", map(properties));
        if (!required.isEmpty()) m.put("required", required);
        return m;
    }

    public static Map<String, Object> integer(long min, long max) {
        return map("type", "integer", "minimum", min, "maximum", max);
    }

    /** One of the lower-case labels of {@code type}'s constants, as {@link Json} writes them. */
    public static Map<String, Object> label(Class<? extends Enum<?>> type) {
        return map("type", "string", "enum", java.util.Arrays.stream(type.getEnumConstants()).map(Json::label).toList());
    }

    /** {@code schema}, or null meaning the field is absent. */
    public static Map<String, Object> orNull(Map<String, Object> schema) {
        return map("anyOf", List.of(schema, map("type", "null")));
    }

    private static Map<String, Object> fixed(Object... kv) {
        return java.util.Collections.unmodifiableMap(map(kv));
    }

    /** An insertion-ordered map from alternating keys and values. */
    public static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
