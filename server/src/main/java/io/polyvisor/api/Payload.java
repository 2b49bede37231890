package io.polyvisor.api;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** What a {@link Route} takes or returns as its body, as the OpenAPI document ({@link OpenApi}) describes it. */
public sealed interface Payload {

    /** JSON written from {@code type} (a view record) or, with {@code array}, a JSON array of them; see {@link ViewSchemas}. */
    record Typed(Class<?> type, boolean array) implements Payload {}

    /**
     * JSON whose schema is written by hand, for request bodies read field by field with {@link Body}: the schema
     * lives next to that parser, in the feature's package.
     *
     * @param name     the schema's name in the document's components; unique
     * @param optional whether the body may be left out (then it reads as {@code {}})
     */
    record Written(String name, Map<String, Object> schema, boolean optional) implements Payload {
        /** The names of the schema's top-level properties: the fields the parser accepts ({@link Body#parse}). */
        public Set<String> fields() {
            return schema.get("properties") instanceof Map<?, ?> m
                    ? m.keySet().stream().map(String.class::cast).collect(Collectors.toUnmodifiableSet()) : Set.of();
        }
    }

    /** Not JSON: text of {@code mediaType}, described in words. */
    record Text(String mediaType, String description) implements Payload {}

    static Payload of(Class<?> type) {
        return new Typed(type, false);
    }

    static Payload listOf(Class<?> type) {
        return new Typed(type, true);
    }
}
