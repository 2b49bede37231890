package io.polyvisor.settings;

import java.util.Map;
import java.util.function.Function;

/**
 * How a setting's value is written as one JSON object and read back, field by field. Written out by hand
 * (no record reflection) so that the stored form changes only when this code says so.
 */
public interface Codec<T> {
    /** The fields to store; values are numbers, strings, or maps of them. Stored with keys in sorted order. */
    Map<String, Object> write(T value);

    /**
     * The value of a stored document. A field the document lacks takes its default (documents written before
     * the field existed); building the value validates it. Fields this does not read are refused afterwards.
     */
    T read(Document doc);

    static <T> Codec<T> of(Function<T, Map<String, Object>> write, Function<Document, T> read) {
        return new Codec<>() {
            @Override
            public Map<String, Object> write(T value) {
                return write.apply(value);
            }

            @Override
            public T read(Document doc) {
                return read.apply(doc);
            }
        };
    }
}
