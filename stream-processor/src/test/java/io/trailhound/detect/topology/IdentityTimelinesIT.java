package io.trailhound.detect.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Incident;
import io.trailhound.detect.rules.RuleCatalog;
import io.trailhound.detect.scan.IdentityTimelines;
import io.trailhound.detect.scan.OfflineScan;
import io.trailhound.testkit.FreePort;
import io.trailhound.testkit.KafkaBrokerExtension;
import io.trailhound.testkit.SchemaRegistryExtension;
import io.trailhound.topic.Topics;

/**
 * #18 acceptance on a real KRaft broker and schema registry: the four identity-origin intrusions (OIDC from a foreign
 * repository, a forged SAML assertion, console password theft with a role switch, a phished Identity Center user; each with
 * its two weeks of history, their principals apart) through one stream processor: the alerts are those the offline scan of the
 * same records gives, and each intrusion meets its expected results (every step alerted, one incident, the chain rooted at
 * the human or federated subject).
 */
class IdentityTimelinesIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** Records carry 2025 event times: with the broker's default 7-day retention its cleaner would delete them mid-test. */
    private static final Map<String, String> KEEP = Map.of("retention.ms", "-1");

    @TempDir
    Path dir;

    @Test
    void shouldDetectEachIdentityOriginIntrusionLiveAsTheScanDoes() throws Exception {
        Topics topics = new Topics(Map.of("schema.registry.url", REGISTRY.url()));
        // one raw partition: the trail's order is kept end to end, so the offline scan is an exact oracle
        KAFKA.createTopic(Topics.CLOUDTRAIL_RAW, 1, KEEP);
        KAFKA.createTopic(Topics.GUARDDUTY_RAW, 1, KEEP);
        KAFKA.createTopic(Topics.EVENTS, 2, KEEP);
        KAFKA.createTopic(Topics.ALERTS, 2, KEEP);
        KAFKA.createTopic(Topics.SIGNALS, 2, KEEP);
        KAFKA.createTopic(Topics.DEADLETTER, 1, KEEP);
        List<byte[]> all = new ArrayList<>();
        for (String scenario : IdentityTimelines.attacks()) {
            all.addAll(IdentityTimelines.records(scenario));
        }
        all.sort(Comparator.comparing(IdentityTimelinesIT::eventTime));
        OfflineScan.Result offline = new OfflineScan(IdentityTimelines.SETTINGS, RuleCatalog.builtIn()).run(all);
        Map<String, Long> expected = finalIds(offline.alerts());

        Map<String, Object> settings = new HashMap<>(IdentityTimelines.SETTINGS);
        settings.put("application.id", "identity-" + UUID.randomUUID());
        settings.put("bootstrap.servers", KAFKA.bootstrapServers());
        settings.put("schema.registry.url", REGISTRY.url());
        settings.put("state.dir", dir.resolve("state").toString());
        settings.put("trailhound.http.port", Integer.toString(FreePort.pick()));
        // unsigned alerts: this test reads them, no responder does (signing: SignedRecordsTest, IntrusionIT)
        settings.put(StreamProcessorConfig.SIGNING_REQUIRED_CONFIG, "false");
        List<Alert> live;
        List<Incident> incidents;
        try (StreamProcessorApp app = new StreamProcessorApp(settings)) {
            app.start();
            RawTopics.produce(KAFKA, "s3://trail/identity-it.json.gz", all);
            // the scan prints every rule hit: the live alerts and signals together
            live = RawTopics.consume(KAFKA, List.of(Topics.ALERTS, Topics.SIGNALS), topics.alerts().valueSerde().deserializer(),
                    list -> finalIds(list).equals(expected), TIMEOUT);
            incidents = consume(Topics.INCIDENTS, topics.incidents().valueSerde().deserializer(), list -> !list.isEmpty());
        }
        assertEquals(expected, finalIds(live), "same alerts and counts as the offline scan");
        Map<String, Alert> latest = live.stream().collect(Collectors.toMap(Alert::getAlertId, a -> a,
                (a, b) -> a.getCount() >= b.getCount() ? a : b));
        for (String scenario : IdentityTimelines.attacks()) {
            IdentityTimelines.check(scenario, new ArrayList<>(latest.values()), incidents);
        }
    }

    private static String eventTime(byte[] record) {
        try {
            return MAPPER.readTree(record).path("eventTime").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Long> finalIds(List<Alert> alerts) {
        return alerts.stream().collect(Collectors.toMap(Alert::getAlertId, Alert::getCount, Math::max));
    }

    private static <V> List<V> consume(String topic, Deserializer<V> values, Predicate<List<V>> done) {
        return RawTopics.consume(KAFKA, topic, values, done, TIMEOUT);
    }
}
