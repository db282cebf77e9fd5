package io.trailhound.detect.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import io.trailhound.avro.Mode;

/** The stream processor's configuration: documented keys, defaults, and start-up failures on bad values. */
class StreamProcessorConfigTest {

    @Test
    void shouldDocumentEveryKey() {
        for (ConfigDef.ConfigKey key : StreamProcessorConfig.configDef().configKeys().values()) {
            assertTrue(key.documentation != null && !key.documentation.isBlank(), key.name + " has no doc");
        }
    }

    @Test
    void shouldApplyDefaults() {
        StreamProcessorConfig c = new StreamProcessorConfig(Map.of(), TopologyFixture.CATALOG);
        assertEquals(Mode.LIVE, c.mode());
        assertEquals(Duration.ofHours(24), c.dedupWindow());
        assertEquals(Duration.ofHours(1), c.suppressionWindow());
        assertTrue(c.disabledRules().isEmpty());
        assertTrue(c.sharedRolePatterns().get(0).matcher("AWSReservedSSO_Admin_123").matches());
    }

    @Test
    void shouldFailOnUnknownOrInvalidValues() {
        assertThrows(ConfigException.class, () -> config(Map.of("trailhound.suppresion.window.ms", "1")));
        assertThrows(ConfigException.class, () -> config(Map.of(StreamProcessorConfig.MODE_CONFIG, "TEST")));
        assertThrows(ConfigException.class, () -> config(Map.of(StreamProcessorConfig.DEDUP_WINDOW_MS_CONFIG, "0")));
        assertThrows(ConfigException.class, () -> config(Map.of(StreamProcessorConfig.SHARED_ROLE_PATTERNS_CONFIG, "AWS(")));
        ConfigException unknownRule = assertThrows(ConfigException.class,
                () -> config(Map.of(StreamProcessorConfig.RULES_SHADOW_CONFIG, "TH-NOPE-1")));
        assertTrue(unknownRule.getMessage().contains("TH-NOPE-1"), unknownRule.getMessage());
    }

    @Test
    void shouldAcceptKnownRuleSwitches() {
        StreamProcessorConfig c = config(Map.of(StreamProcessorConfig.RULES_DISABLED_CONFIG, "TH-CT-003,TH-REC-001"));
        assertEquals(2, c.disabledRules().size());
        assertFalse(c.shadowRules().contains("TH-CT-003"));
    }

    @Test
    void shouldApplyTheTopologysStreamsDefaultsUnlessTheOperatorSetsThem() {
        Properties defaults = StreamProcessorApp.streamsProperties(Map.of(), config(Map.of()));
        assertEquals(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED, defaults.get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG));
        assertEquals(128 * 1024, defaults.get(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG)));
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, defaults.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals(BoundedRocksDbMemory.class, defaults.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG));
        assertEquals(BoundedRocksDbMemory.DEFAULT_MEMORY_BYTES, defaults.get(BoundedRocksDbMemory.MEMORY_BYTES_CONFIG));
        Map<String, Object> operator = Map.of(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "0",
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE,
                StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, "com.example.OurSetter",
                StreamProcessorConfig.ROCKSDB_MEMORY_BYTES_CONFIG, "536870912");
        Properties set = StreamProcessorApp.streamsProperties(operator, config(operator));
        assertEquals("0", set.get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG), "the operator's value wins");
        assertEquals("com.example.OurSetter", set.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG), "the operator's setter wins");
        assertEquals(536_870_912L, set.get(BoundedRocksDbMemory.MEMORY_BYTES_CONFIG), "the budget reaches the setter");
        assertThrows(ConfigException.class, () -> config(Map.of(StreamProcessorConfig.ROCKSDB_MEMORY_BYTES_CONFIG, "1024")));
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, set.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG), "but never over exactly-once");
    }

    private static StreamProcessorConfig config(Map<String, Object> values) {
        return new StreamProcessorConfig(values, TopologyFixture.CATALOG);
    }
}
