package io.trailhound.connector.guardduty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.testkit.ConnectClusterExtension;
import io.trailhound.testkit.aws.AwsEndpointExtension;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.converters.ByteArrayConverter;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;

/** GuardDuty connector configurations and helpers shared by the GuardDuty integration tests. */
final class GuardDutyConnectors {

    static final long T0 = 1714557600000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private GuardDutyConnectors() {
    }

    static Map<String, String> config(AwsEndpointExtension aws, String regions, String topic) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", GuardDutySourceConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("key.converter", ByteArrayConverter.class.getName());
        config.put("value.converter", ByteArrayConverter.class.getName());
        config.put("regions", regions);
        config.put("topic", topic);
        config.put("deadletter.topic", topic + ".dead");
        config.put("poll.interval.ms", "300");
        config.put("aws.endpoint.override", aws.endpoint().toString());
        config.put("aws.access.key.id", aws.accessKeyId());
        config.put("aws.secret.access.key", aws.secretAccessKey());
        return config;
    }

    /** Each record's finding version, {@code id#service.count}, in topic order. */
    static List<String> versions(List<ConsumerRecord<byte[], byte[]>> records) {
        List<String> versions = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                JsonNode finding = JSON.readTree(record.value());
                versions.add(finding.get("id").asText() + "#" + finding.at("/service/count").asLong());
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + new String(record.value(), StandardCharsets.UTF_8), e);
            }
        }
        return versions;
    }

    /** Waits for a task of {@code connector} to fail; returns its trace. */
    static String awaitTaskFailure(ConnectClusterExtension connect, String connector) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                for (ConnectorStateInfo.TaskState task : connect.cluster().connectorStatus(connector).tasks()) {
                    if ("FAILED".equals(task.state())) {
                        return task.trace();
                    }
                }
            } catch (RuntimeException notYet) {
                // The connector is not registered yet.
            }
            Thread.sleep(200);
        }
        throw new AssertionError(connector + " task did not fail");
    }
}
