package io.trailhound.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.ResponseAction;
import io.trailhound.detect.rules.RuleCatalog;
import io.trailhound.detect.topology.DetectionMetrics;
import io.trailhound.detect.topology.DetectionTopology;
import io.trailhound.detect.topology.LocalSchemaRegistry;
import io.trailhound.detect.topology.StreamProcessorConfig;
import io.trailhound.respond.engine.ResponderMetrics;
import io.trailhound.signing.Ed25519Keys;
import io.trailhound.topic.Topics;

/**
 * Every metric the Grafana dashboard queries is one the services really expose: the stream processor's own meters after
 * the compose sample trail went through the real detection topology, the Kafka Streams client meters its
 * {@link KafkaStreamsMetrics} binding exposes, and the responder's meters.
 */
class DashboardMetricsTest {

    private static final Pattern METRIC = Pattern.compile("\\b((?:trailhound|kafka)_[a-z0-9_]+)\\b");
    private static final Pattern EXPOSED = Pattern.compile("(?m)^([a-z_][a-z0-9_]*)[{ ]");

    @TempDir
    Path stateDir;

    private static Set<String> dashboardMetrics() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(RepositoryFiles.text("k8s/base/dashboards/trailhound.json"));
        Set<String> metrics = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                Matcher matcher = METRIC.matcher(target.get("expr").asText());
                while (matcher.find()) {
                    metrics.add(matcher.group(1));
                }
            }
        }
        return metrics;
    }

    private static Set<String> exposed(String scrape) {
        Set<String> names = new TreeSet<>();
        EXPOSED.matcher(scrape).results().forEach(r -> names.add(r.group(1)));
        return names;
    }

    @Test
    void shouldQueryOnlyMetricsTheServicesExpose() throws Exception {
        Set<String> exposed = new TreeSet<>();
        exposed.addAll(streamProcessorMetrics());
        exposed.addAll(kafkaStreamsClientMetrics());
        exposed.addAll(responderMetrics());
        Set<String> queried = dashboardMetrics();
        assertTrue(queried.size() >= 8, "dashboard queries " + queried);
        Set<String> missing = new TreeSet<>(queried);
        missing.removeAll(exposed);
        assertEquals(Set.of(), missing, "the dashboard queries metrics no service exposes (trailhound_* exposed: "
                + exposed.stream().filter(n -> n.startsWith("trailhound_")).toList() + ")");
    }

    /** The detection topology with the k8s configuration, fed the compose sample trail; returns the exposed names. */
    private Set<String> streamProcessorMetrics() throws Exception {
        Map<String, Object> settings = RepositoryFiles.properties(RepositoryFiles.path("k8s/base/config/stream-processor.properties"));
        // the deployed signing key is a Secret mounted in the pod (#19): a key of the same kind stands in for it
        Path key = stateDir.resolve("detect.key");
        Ed25519Keys.writePrivateKey(key, Ed25519Keys.generate().getPrivate());
        settings.put(StreamProcessorConfig.SIGNING_KEY_FILE_CONFIG, key.toString());
        StreamProcessorConfig config = ServiceConfigs.streamProcessor("k8s/base", settings);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LocalSchemaRegistry schemas = new LocalSchemaRegistry();
        Map<String, Object> serde = Map.of(StreamProcessorConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://127.0.0.1:9");
        Topics topics = new Topics(schemas, serde);
        Topology topology = DetectionTopology.build(config, RuleCatalog.builtIn(), topics, schemas, serde, new DetectionMetrics(registry));
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, driverProperties())) {
            TestInputTopic<String, byte[]> raw = driver.createInputTopic(Topics.CLOUDTRAIL_RAW, new StringSerializer(),
                    new ByteArraySerializer());
            JsonNode trail = new ObjectMapper().readTree(RepositoryFiles.text("docker/localstack/sample/cloudtrail-sample.json"));
            for (JsonNode record : trail.get("Records")) {
                raw.pipeInput(record.get("eventID").asText(), record.toString().getBytes(StandardCharsets.UTF_8));
            }
            assertFalse(driver.createOutputTopic(Topics.ALERTS, new org.apache.kafka.common.serialization.StringDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer()).isEmpty(),
                    "the compose sample trail (StopLogging) raises an alert");
        }
        return exposed(registry.scrape());
    }

    private Properties driverProperties() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "deploy-dashboard-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return props;
    }

    /** The client meters {@link KafkaStreamsMetrics} binds for a Kafka Streams instance (created, never started). */
    private Set<String> kafkaStreamsClientMetrics() throws Exception {
        Path dir = Files.createDirectories(stateDir.resolve("client"));
        Properties props = driverProperties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        Topology topology = new Topology();
        topology.addSource("raw", Topics.CLOUDTRAIL_RAW);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (KafkaStreams streams = new KafkaStreams(topology, props); KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams)) {
            metrics.bindTo(registry);
            return exposed(registry.scrape());
        }
    }

    private static Set<String> responderMetrics() {
        ResponderMetrics metrics = new ResponderMetrics(() -> 2);
        ResponseAction action = new ResponseAction();
        action.put("runbook", "ec2-compromise");
        action.put("awsAction", "ec2:ModifyInstanceAttribute");
        action.put("status", ActionStatus.values()[0]);
        metrics.recorded(action);
        metrics.stepExecuted("ec2:ModifyInstanceAttribute", Duration.ofMillis(40));
        metrics.firstAction(Duration.ofSeconds(3));
        return exposed(metrics.scrape());
    }
}
