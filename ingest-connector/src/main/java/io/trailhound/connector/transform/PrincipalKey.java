package io.trailhound.connector.transform;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.trailhound.connector.ConnectorVersion;
import io.trailhound.keying.KeyFields;
import io.trailhound.keying.PrincipalKeys;
import io.trailhound.topic.DeadLetters;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.Monitorable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.transforms.Transformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys raw records as the stream processor partitions them (#16): a CloudTrail record by its durable principal, a GuardDuty
 * finding by its id ({@link PrincipalKeys}, the rules the stream processor itself uses), with a STRING key schema and no
 * explicit partition, so the producer puts it in partition {@code murmur2(UTF-8 key) % partitions}, where Kafka Streams looks
 * for that key. The value is never touched (byte[], ByteBuffer or String: the same object goes on).
 *
 * <p>A record it cannot key (a value that is not a JSON object, of an unsupported type, or of the other kind than
 * {@code kind}) passes unkeyed and is counted and logged, never failing the task: the stream processor dead-letters what it
 * cannot read. Tombstones and dead letters (the {@link DeadLetters#REASON} header) pass without being read. A record passed
 * unkeyed keeps its key, a byte[] key handed on as its UTF-8 text so that the StringConverter writes the same bytes.
 */
public final class PrincipalKey<R extends ConnectRecord<R>> implements Transformation<R>, Versioned, Monitorable {

    private static final Logger LOG = LoggerFactory.getLogger(PrincipalKey.class);
    private static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final AtomicLong keyed = new AtomicLong();
    private final AtomicLong unkeyed = new AtomicLong();
    private final AtomicLong passed = new AtomicLong();
    private PrincipalKeyConfig config;
    private long unkeyedAtLastWarn;
    private long lastWarnNanos;

    @Override
    public void configure(Map<String, ?> configs) {
        config = new PrincipalKeyConfig(configs);
    }

    @Override
    public R apply(R record) {
        Object value = record.value();
        if (value == null || record.headers().lastWithName(DeadLetters.REASON) != null) {
            passed.incrementAndGet();
            return unkeyed(record);
        }
        String key;
        try {
            key = key(value);
        } catch (IOException | RuntimeException e) {
            return cannotKey(record, "not well-formed JSON: " + e.getMessage());
        }
        if (key == null) {
            return cannotKey(record, "not a " + describeKind() + " (a JSON object) or of an unsupported value type "
                + value.getClass().getSimpleName());
        }
        keyed.incrementAndGet();
        return record.newRecord(record.topic(), null, Schema.STRING_SCHEMA, key, record.valueSchema(), value, record.timestamp());
    }

    /** The key of {@code value}, or null when it is not a record of the configured kind. */
    private String key(Object value) throws IOException {
        ObjectNode fields;
        if (value instanceof byte[] bytes) {
            fields = KeyFields.read(bytes, 0, bytes.length);
        } else if (value instanceof ByteBuffer buffer) {
            fields = read(buffer);
        } else if (value instanceof String text) {
            fields = KeyFields.read(text);
        } else {
            return null;
        }
        if (fields == null) {
            return null;
        }
        JsonNode record = PrincipalKeys.unwrap(fields);
        boolean finding = PrincipalKeys.isFinding(record);
        return switch (config.kind()) {
            case AUTO -> config.keys().recordKey(fields);
            case CLOUDTRAIL -> finding ? null : config.keys().eventKey(record);
            case GUARDDUTY -> finding ? PrincipalKeys.text(record, "id") : null;
        };
    }

    private static ObjectNode read(ByteBuffer buffer) throws IOException {
        if (buffer.hasArray()) {
            return KeyFields.read(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        }
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return KeyFields.read(copy, 0, copy.length);
    }

    private R cannotKey(R record, String reason) {
        long count = unkeyed.incrementAndGet();
        long now = System.nanoTime();
        if (count == 1 || now - lastWarnNanos >= WARN_INTERVAL_NANOS) {
            LOG.warn("Left {} record(s) of {} unkeyed since the last warning, e.g. {}: {} (the stream processor dead-letters "
                + "what it cannot read)", count - unkeyedAtLastWarn, record.topic(), where(record), reason);
            unkeyedAtLastWarn = count;
            lastWarnNanos = now;
        } else {
            LOG.debug("Left a record of {} unkeyed: {}", record.topic(), reason);
        }
        return unkeyed(record);
    }

    /** {@code record} as it came, but a byte[] key as its UTF-8 text (StringConverter writes the same bytes). */
    private R unkeyed(R record) {
        if (!(record.key() instanceof byte[] bytes)) {
            return record;
        }
        return record.newRecord(record.topic(), record.kafkaPartition(), Schema.OPTIONAL_STRING_SCHEMA,
            new String(bytes, StandardCharsets.UTF_8), record.valueSchema(), record.value(), record.timestamp());
    }

    private static String where(ConnectRecord<?> record) {
        var location = record.headers().lastWithName(DeadLetters.LOCATION);
        return location == null ? "(no location header)" : String.valueOf(location.value());
    }

    private String describeKind() {
        return switch (config.kind()) {
            case AUTO -> "CloudTrail record or GuardDuty finding";
            case CLOUDTRAIL -> "CloudTrail record";
            case GUARDDUTY -> "GuardDuty finding";
        };
    }

    /** Records keyed so far. */
    long keyedCount() {
        return keyed.get();
    }

    /** Records that could not be keyed so far. */
    long unkeyedCount() {
        return unkeyed.get();
    }

    /** Tombstones and dead letters passed without being read. */
    long passedCount() {
        return passed.get();
    }

    /**
     * Counts in the task's plugin metrics: {@code principal-key-records-keyed-total}, {@code ...-unkeyed-total} and
     * {@code ...-passed-total}.
     */
    @Override
    public void withPluginMetrics(PluginMetrics metrics) {
        add(metrics, "principal-key-records-keyed-total", "Records keyed by durable principal or finding id", keyed);
        add(metrics, "principal-key-records-unkeyed-total", "Records left unkeyed: not a JSON object of the configured kind", unkeyed);
        add(metrics, "principal-key-records-passed-total", "Tombstones and dead letters passed without being read", passed);
    }

    private static void add(PluginMetrics metrics, String name, String description, AtomicLong counter) {
        MetricName metric = metrics.metricName(name, description, new LinkedHashMap<>());
        metrics.addMetric(metric, (Measurable) (cfg, now) -> counter.get());
    }

    @Override
    public ConfigDef config() {
        return PrincipalKeyConfig.CONFIG_DEF;
    }

    @Override
    public String version() {
        return ConnectorVersion.get();
    }

    @Override
    public void close() {
        // nothing held
    }
}
