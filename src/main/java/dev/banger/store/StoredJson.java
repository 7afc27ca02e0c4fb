package dev.banger.store;

import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.file.Path;

/**
 * The Jackson configuration of what banger keeps: JSON columns (a VM's runtime, an image's
 * manifest, the NAT handles setting) and state files ({@code manifest.json}, {@code warm.json}).
 * It is deliberately apart from {@code rpc.Json}, the wire's mapper, so the wire can change without
 * making stored records unreadable. Its settings are the ones those records were written with:
 * unknown properties and missing primitives are errors, times are ISO-8601 strings, paths plain
 * strings, {@code Optional}s their value or null. Thread-safe once built.
 */
public final class StoredJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .addModule(plainPaths())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private StoredJson() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** {@code /var/lib/banger/...} as stored, not Jackson's default {@code file://} URI. */
    private static SimpleModule plainPaths() {
        SimpleModule module = new SimpleModule("banger-stored-paths");
        module.addSerializer(Path.class, ToStringSerializer.instance);
        module.addDeserializer(Path.class, new FromStringDeserializer<>(Path.class) {
            @Override
            protected Path _deserialize(String value, DeserializationContext context) {
                return Path.of(value);
            }
        });
        return module;
    }
}
