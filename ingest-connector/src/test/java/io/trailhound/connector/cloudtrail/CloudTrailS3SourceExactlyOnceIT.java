package io.trailhound.connector.cloudtrail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import io.trailhound.testkit.ConnectClusterExtension;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Exactly-once source mode (KIP-618): a worker restart in the middle of an ingest neither loses nor duplicates an event. */
class CloudTrailS3SourceExactlyOnceIT {

    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension().withExactlyOnceSource();

    @TempDir
    Path root;

    @Test
    void shouldNeitherLoseNorDuplicateWhenTheWorkerRestartsMidIngest() throws Exception {
        TrailFixture trail = TrailFixture.orgTrail(List.of("444444444444"), List.of("us-east-1", "ap-south-1"),
            LocalDate.of(2024, 5, 1), 1, 10, 150);
        trail.writeTo(root);
        CONNECT.cluster().kafka().createTopic("eos.raw", 1);
        Map<String, String> config = TrailConnectors.config(root.toUri().toString(), "eos.raw", "eos.dead");
        config.put("exactly.once.support", "required");
        config.put("batch.size", "100");
        config.put("queue.capacity", "200");
        CONNECT.cluster().configureConnector("eos", config);
        CONNECT.awaitRunning("eos", 1);

        List<ConsumerRecord<byte[], byte[]>> records;
        int seenAtRestart;
        try (TopicReader reader = new TopicReader(CONNECT.bootstrapServers(), "eos.raw", true)) {
            seenAtRestart = reader.readUntil(r -> r.size() >= 300, Duration.ofSeconds(90)).size();
            TrailConnectors.restartWorker(CONNECT, "eos");
            reader.readUntil(r -> r.size() >= trail.events().size(), Duration.ofSeconds(120));
            records = reader.readFor(Duration.ofSeconds(3));
        }

        assertTrue(seenAtRestart < trail.events().size(), "restart came after the whole ingest: " + seenAtRestart);
        assertEquals(trail.events().keySet(), TopicReader.keySet(records));
        assertEquals(trail.events().size(), records.size(), "duplicates after the restart");
    }
}
