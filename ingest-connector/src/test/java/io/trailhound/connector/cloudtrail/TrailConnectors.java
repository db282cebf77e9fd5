package io.trailhound.connector.cloudtrail;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.trailhound.testkit.ConnectClusterExtension;
import io.trailhound.testkit.aws.S3Endpoint;

import org.apache.kafka.connect.converters.ByteArrayConverter;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;

/** Connector configurations and Connect cluster chores shared by the log-file source's integration tests. */
final class TrailConnectors {

    private TrailConnectors() {
    }

    /** A configuration reading {@code location} into {@code topic}, bytes in and bytes out. */
    static Map<String, String> config(String location, String topic, String deadLetterTopic) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", CloudTrailS3SourceConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("key.converter", ByteArrayConverter.class.getName());
        config.put("value.converter", ByteArrayConverter.class.getName());
        config.put("location", location);
        config.put("topic", topic);
        config.put("deadletter.topic", deadLetterTopic);
        config.put("poll.interval.ms", "500");
        return config;
    }

    /** Adds the settings pointing the connector's S3 client at {@code s3}. */
    static Map<String, String> withS3(Map<String, String> config, S3Endpoint s3) {
        config.put("aws.endpoint.override", s3.endpoint().toString());
        config.put("aws.region", s3.region());
        config.put("aws.access.key.id", s3.accessKeyId());
        config.put("aws.secret.access.key", s3.secretAccessKey());
        config.put("s3.path.style.access", "true");
        return config;
    }

    /** Stops the only worker and starts a fresh one, which must pick the connector up from the stored config and offsets. */
    static void restartWorker(ConnectClusterExtension connect, String connector) throws InterruptedException {
        connect.cluster().removeWorker();
        connect.cluster().addWorker();
        connect.awaitRunning(connector, 1);
    }

    /** Waits until the connector's committed offsets name {@code key} (what the REST API reports). */
    static void awaitOffset(ConnectClusterExtension connect, String connector, String key) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = "none";
        while (System.nanoTime() < deadline) {
            last = connect.cluster().connectorOffsets(connector).offsets().toString();
            if (last.contains(key)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(connector + " never committed an offset at " + key + "; last: " + last);
    }

    /** Waits (up to 90 s) until a task of {@code connector} failed. */
    static void awaitTaskFailed(ConnectClusterExtension connect, String connector) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (connect.cluster().connectorStatus(connector).tasks().stream().anyMatch(t -> "FAILED".equals(t.state()))) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // The connector is not registered yet.
            }
            Thread.sleep(200);
        }
        throw new AssertionError(connector + " task did not fail");
    }

    /** Waits for {@code connector} to reach {@code state} (e.g. STOPPED before altering offsets). */
    static void awaitState(ConnectClusterExtension connect, String connector, String state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            ConnectorStateInfo status = connect.cluster().connectorStatus(connector);
            if (state.equals(status.connector().state()) && status.tasks().isEmpty()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(connector + " did not reach " + state);
    }
}
