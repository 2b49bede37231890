package io.polyvisor.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaBuilder;
import com.github.victools.jsonschema.generator.SchemaGenerationContext;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfig;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.generator.impl.DefinitionKey;
import com.github.victools.jsonschema.generator.naming.SchemaDefinitionNamingStrategy;
import io.polyvisor.model.VmState;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JSON Schemas (2020-12, the dialect of OpenAPI 3.1) generated from the view records routes return, so the
 * document says what {@link Json#mapper()} actually writes:
 * <ul>
 * <li>a record is a closed object ({@code additionalProperties: false}); its schema is a component named after
 *     the type, less a {@code View} suffix ({@code VmView} is {@code Vm}); two types with one name are a bug;
 * <li>fields in snake_case, all required; null allowed only where the component is {@link Nullable}; a component
 *     annotated {@code @JsonInclude(NON_NULL)} is left out when null, so it is not required;
 * <li>enums and {@link VmState} as their lower-case labels; {@code Instant} a date-time string, {@code UUID} a
 *     uuid string, a map an object of its value type; a sealed interface any of its records;
 * <li>the VM view ({@link Views.VmView}) also has the fields features add: {@code vmFacets}, each required and
 *     nullable, with the schema of its type.
 * </ul>
 * Use: {@link #reference} for every type a route names, then {@link #definitions()} once.
 */
final class ViewSchemas {
    static final String COMPONENTS = "components/schemas";
    private static final PropertyNamingStrategies.NamingBase SNAKE = new PropertyNamingStrategies.SnakeCaseStrategy();

    private final SchemaBuilder builder;
    private final Map<String, ObjectNode> facetRefs = new LinkedHashMap<>();

    /** @param vmFacets the fields features add to every VM, with their types, in order */
    ViewSchemas(Map<String, Class<?>> vmFacets) {
        this.builder = new SchemaGenerator(config()).buildMultipleSchemaDefinitions();
        vmFacets.forEach((field, type) -> facetRefs.put(field, reference(type)));
    }

    /** A schema that refers to {@code type}'s component (or describes it inline: labels, strings, maps). */
    ObjectNode reference(Class<?> type) {
        return builder.createSchemaReference(type);
    }

    /** The components of every type referred to so far, by name. */
    ObjectNode definitions() {
        ObjectNode defs = builder.collectDefinitions(COMPONENTS);
        if (defs.get(name(Views.VmView.class)) instanceof ObjectNode vm) {
            ObjectNode props = (ObjectNode) vm.get("properties");
            facetRefs.forEach((field, ref) -> {
                if (props.has(field)) throw new IllegalStateException("VM facet " + field + " clashes with a field of the VM view");
                props.set(field, nullable(ref));
                ((ArrayNode) vm.get("required")).add(field);
            });
        }
        return defs;
    }

    private static ObjectNode nullable(ObjectNode schema) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.putArray("anyOf").add(schema).addObject().put("type", "null");
        return n;
    }

    /** The component name of a type: its simple name less a {@code View} suffix. */
    static String name(Class<?> type) {
        String s = type.getSimpleName();
        return s.endsWith("View") && s.length() > 4 ? s.substring(0, s.length() - 4) : s;
    }

    /** The labels a value of {@code type} is written as, or null if it is not written as a label. */
    static List<String> labels(Class<?> type) {
        if (type.isEnum()) return Arrays.stream(type.getEnumConstants()).map(e -> Json.label((Enum<?>) e)).toList();
        if (type == VmState.class) {
            // VmState#label(): the record's simple name in lower case
            return Arrays.stream(VmState.class.getPermittedSubclasses()).map(c -> c.getSimpleName().toLowerCase(Locale.ROOT)).toList();
        }
        return null;
    }

    private static SchemaGeneratorConfig config() {
        var b = new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
                .with(Option.DEFINITIONS_FOR_ALL_OBJECTS, Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT,
                        Option.STANDARD_FORMATS, Option.INLINE_NULLABLE_SCHEMAS,
                        Option.PLAIN_DEFINITION_KEYS);
        b.forFields()
                .withIgnoreCheck(f -> f.getAnnotationConsideringFieldAndGetter(JsonIgnore.class) != null)
                .withPropertyNameOverrideResolver(f -> SNAKE.translate(f.getDeclaredName()))
                .withNullableCheck(f -> f.getAnnotationConsideringFieldAndGetter(Nullable.class) != null)
                .withRequiredCheck(f -> !omittedWhenNull(f));
        b.forTypesInGeneral()
                .withCustomDefinitionProvider((type, context) -> {
                    List<String> labels = labels(type.getErasedType());
                    if (labels == null) return null;
                    ObjectNode n = context.getGeneratorConfig().createObjectNode().put("type", "string");
                    labels.forEach(n.putArray("enum")::add);
                    return new CustomDefinition(n, CustomDefinition.DefinitionType.INLINE, CustomDefinition.AttributeInclusion.NO);
                })
                .withCustomDefinitionProvider((type, context) -> {
                    if (!type.isInstanceOf(Map.class)) return null; // inline, not a component per value type
                    ObjectNode n = context.getGeneratorConfig().createObjectNode().put("type", "object");
                    n.set("additionalProperties", context.createDefinitionReference(type.typeParametersFor(Map.class).get(1)));
                    return new CustomDefinition(n, CustomDefinition.DefinitionType.INLINE, CustomDefinition.AttributeInclusion.NO);
                })
                .withSubtypeResolver((declared, context) -> {
                    Class<?> c = declared.getErasedType();
                    if (!c.isSealed() || labels(c) != null) return null;
                    return Arrays.stream(c.getPermittedSubclasses()).map(s -> context.getTypeContext().resolveSubtype(declared, s)).toList();
                })
                .withDefinitionNamingStrategy(new Naming())
                .withPropertySorter((x, y) -> 0); // declaration order, as Jackson writes records
        return b.build();
    }

    private static boolean omittedWhenNull(FieldScope f) {
        JsonInclude inc = f.getAnnotationConsideringFieldAndGetter(JsonInclude.class);
        if (inc == null) inc = f.getDeclaringType().getErasedType().getAnnotation(JsonInclude.class);
        return inc != null && inc.value() != JsonInclude.Include.ALWAYS && inc.value() != JsonInclude.Include.USE_DEFAULTS;
    }

    /** {@link #name}, refusing two types with one name. */
    private static final class Naming implements SchemaDefinitionNamingStrategy {
        @Override
        public String getDefinitionNameForKey(DefinitionKey key, SchemaGenerationContext context) {
            return name(key.getType().getErasedType());
        }

        @Override
        public void adjustDuplicateNames(Map<DefinitionKey, String> names, SchemaGenerationContext context) {
            Map<String, Class<?>> seen = new HashMap<>();
            names.forEach((key, name) -> {
                Class<?> type = key.getType().getErasedType();
                Class<?> other = seen.putIfAbsent(name, type);
                if (other != null && other != type) {
                    throw new IllegalStateException("view types " + other.getName() + " and " + type.getName()
                            + " both have the schema name " + name + "; rename one");
                }
            });
        }
    }
}
