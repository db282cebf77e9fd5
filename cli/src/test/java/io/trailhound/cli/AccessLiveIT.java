package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.trailhound.access.SnapshotRecords;
import io.trailhound.testkit.KafkaBrokerExtension;
import io.trailhound.topic.Topics;

/**
 * #15: without {@code --snapshot}, {@code trailhound access} reads the live IAM snapshot records from
 * {@code trailhound.iam.snapshots} (as the IAM snapshot connector writes them, a tombstone included) and answers as it does
 * for the same accounts' files; with no records it says where to get some, in one line.
 */
class AccessLiveIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALICE = "arn:aws:iam::111111111111:user/alice";

    private static Path fixture() {
        return Path.of(System.getProperty("trailhound.root", ".."), "access", "src", "test", "resources", "fixture-snapshot");
    }

    @Test
    void shouldAnswerFromTheLiveSnapshotRecordsAsFromTheFiles() throws Exception {
        KAFKA.createTopic(Topics.IAM_SNAPSHOTS, 1, Map.of("cleanup.policy", "compact"));
        CliRun none = new CliRun();
        assertEquals(2, none.exec("access", "risks", "--bootstrap-server", KAFKA.bootstrapServers()));
        assertTrue(none.err().contains("no IAM snapshot records on trailhound.iam.snapshots"), none.err());

        Map<String, String> records = new HashMap<>();
        try (Stream<Path> files = Files.list(fixture())) {
            for (Path gaad : files.filter(p -> p.getFileName().toString().endsWith(".gaad.json")).toList()) {
                String account = gaad.getFileName().toString().substring(0, 12);
                Path scp = fixture().resolve(account + ".scp.json");
                records.putAll(SnapshotRecords.of(account, 1_733_000_000_000L, JSON.readTree(gaad.toFile()),
                    Files.exists(scp) ? JSON.readTree(scp.toFile()) : null));
            }
        }
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            // an entity the previous snapshot had and this one deleted: written, then tombstoned
            String gone = SnapshotRecords.key("111111111111", "arn:aws:iam::111111111111:user/deleted-since");
            producer.send(new ProducerRecord<>(Topics.IAM_SNAPSHOTS, gone, records.values().iterator().next())).get();
            for (Map.Entry<String, String> r : records.entrySet()) {
                producer.send(new ProducerRecord<>(Topics.IAM_SNAPSHOTS, r.getKey(), r.getValue())).get();
            }
            producer.send(new ProducerRecord<>(Topics.IAM_SNAPSHOTS, gone, null)).get();
        }

        for (String[] command : new String[][] {{"access", "risks", "--format", "json"},
            {"access", "blast-radius", ALICE, "--format", "json"}}) {
            CliRun files = new CliRun();
            assertEquals(0, files.exec(concat(command, "--snapshot", fixture().toString())), files.err());
            CliRun live = new CliRun();
            assertEquals(0, live.exec(concat(command, "--bootstrap-server", KAFKA.bootstrapServers())), live.err());
            JsonNode expected = JSON.readTree(files.out());
            assertEquals(expected, JSON.readTree(live.out()), String.join(" ", command));
            assertTrue(expected.toString().contains("111111111111"), files.out());
        }
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }
}
