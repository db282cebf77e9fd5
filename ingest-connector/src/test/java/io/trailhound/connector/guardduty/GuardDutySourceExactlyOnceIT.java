package io.trailhound.connector.guardduty;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.trailhound.connector.cloudtrail.TopicReader;
import io.trailhound.testkit.ConnectClusterExtension;
import io.trailhound.testkit.aws.AwsEndpointExtension;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Exactly-once source mode (KIP-618) for GuardDuty: a worker restart mid-ingest neither loses nor duplicates a finding. */
class GuardDutySourceExactlyOnceIT {

    static final FakeGuardDuty GUARDDUTY = new FakeGuardDuty();

    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension().withExactlyOnceSource();

    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension(GUARDDUTY);

    private static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void shouldNeitherLoseNorDuplicateWhenTheWorkerRestartsMidIngest() throws Exception {
        AWS.wireMock().stubFor(any(urlPathMatching("/detector.*")).willReturn(aResponse().withStatus(200)));
        Set<String> ids = GuardDutySourceIT.seedSlowDetector(GUARDDUTY, "d-eos", 30);
        CONNECT.cluster().kafka().createTopic("gd.eos", 1);
        Map<String, String> config = GuardDutyConnectors.config(AWS, "us-east-1", "gd.eos");
        config.put("page.size", "2");
        config.put("exactly.once.support", "required");
        CONNECT.cluster().configureConnector("gd-eos", config);
        CONNECT.awaitRunning("gd-eos", 1);

        List<ConsumerRecord<byte[], byte[]>> records;
        int seenAtRestart;
        try (TopicReader reader = new TopicReader(CONNECT.bootstrapServers(), "gd.eos", true)) {
            seenAtRestart = reader.readUntil(r -> r.size() >= 6, WAIT).size();
            CONNECT.cluster().removeWorker();
            CONNECT.cluster().addWorker();
            reader.readUntil(r -> TopicReader.keySet(r).containsAll(ids), WAIT);
            records = reader.readFor(Duration.ofSeconds(3));
        }

        assertTrue(seenAtRestart < ids.size(), "the restart came after the whole ingest");
        assertEquals(ids, TopicReader.keySet(records));
        assertEquals(ids.size(), records.size(), "duplicates after the restart: " + TopicReader.keys(records));
    }
}
