package io.trailhound.detect.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.trailhound.topic.DeadLetters;

/** #17: dead letters, never loops — a poison record is dead-lettered with its origin and the records after it are processed. */
class DeadLetterHandlerTest {

    @TempDir
    Path stateDir;

    @Test
    void shouldDeadLetterAPoisonRecordWithItsOriginAndProcessTheRecordsAfterIt() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
            .mapValues(v -> {
                if (v.equals("poison")) {
                    throw new IllegalStateException("cannot handle " + v);
                }
                return v.toUpperCase(java.util.Locale.ROOT);
            })
            .to("out", Produced.with(Serdes.String(), Serdes.String()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dead-letter-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        props.put(DeadLetterHandler.TOPIC_CONFIG, "dead");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            TestInputTopic<String, String> in = driver.createInputTopic("in", Serdes.String().serializer(), Serdes.String().serializer());
            TestOutputTopic<String, String> out = driver.createOutputTopic("out", Serdes.String().deserializer(),
                Serdes.String().deserializer());
            TestOutputTopic<byte[], byte[]> dead = driver.createOutputTopic("dead", Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer());
            in.pipeInput("k1", "first");
            in.pipeInput("k2", "poison");
            in.pipeInput("k3", "after");
            assertEquals(List.of("FIRST", "AFTER"), out.readValuesToList(), "the records after the poison are processed");
            List<TestRecord<byte[], byte[]>> letters = dead.readRecordsToList();
            assertEquals(1, letters.size());
            TestRecord<byte[], byte[]> letter = letters.get(0);
            assertEquals("poison", new String(letter.value(), StandardCharsets.UTF_8), "the input as it came");
            assertEquals("k2", new String(letter.key(), StandardCharsets.UTF_8));
            assertEquals("stream-processor", header(letter, DeadLetters.COMPONENT));
            assertEquals("in", header(letter, DeadLetters.SOURCE_TOPIC));
            assertEquals("0:1", header(letter, DeadLetters.SOURCE_OFFSET));
            assertNotNull(header(letter, DeadLetters.REASON));
            assertEquals(true, header(letter, DeadLetters.REASON).contains("cannot handle poison"), header(letter, DeadLetters.REASON));
        }
    }

    @Test
    void shouldReplaceAFailedThreadOnlyAFewTimesBeforeFailingTheClient() {
        MutableClock clock = new MutableClock();
        ThreadReplacements replacements = new ThreadReplacements(clock);
        RuntimeException failure = new IllegalStateException("state directory gone");
        for (int i = 0; i < ThreadReplacements.MAX; i++) {
            assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, replacements.handle(failure));
        }
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, replacements.handle(failure), "a loop is not transient");
        clock.now = clock.now.plus(ThreadReplacements.PERIOD).plusSeconds(1);
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, replacements.handle(failure), "a failure long after is");
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** A clock tests move. */
    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-06T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
