package io.polyvisor.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.polyvisor.model.VmState;

import java.io.IOException;
import java.util.Locale;

/**
 * The API's one JSON dialect: snake_case fields, ISO-8601 UTC times, unknown fields refused, enums as their
 * lower-case labels ({@code running}, {@code queued}) and a {@link VmState} as its {@link VmState#label() label}.
 * {@link ViewSchemas} describes values written this way.
 */
public final class Json {
    private Json() {}

    public static ObjectMapper mapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .registerModule(labels())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** The label an enum constant is written as. */
    static String label(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static SimpleModule labels() {
        return new SimpleModule("labels")
                .addSerializer((Class) Enum.class, new Label<Enum<?>>((Class) Enum.class, Json::label))
                .addSerializer(VmState.class, new Label<>(VmState.class, VmState::label));
    }

    private static final class Label<T> extends StdSerializer<T> {
        private final java.util.function.Function<T, String> label;

        Label(Class<T> type, java.util.function.Function<T, String> label) {
            super(type);
            this.label = label;
        }

        @Override
        public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(label.apply(value));
        }
    }
}
