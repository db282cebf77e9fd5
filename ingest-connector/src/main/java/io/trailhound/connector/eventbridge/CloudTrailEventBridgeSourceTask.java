package io.trailhound.connector.eventbridge;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.trailhound.connector.AwsAuth;
import io.trailhound.connector.AwsRetries;
import io.trailhound.connector.ConnectorVersion;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/**
 * Task of the CloudTrail EventBridge source: an {@link EventBridgeQueueReader} receiving in the background, each event's
 * detail forwarded keyed by its {@code eventID}, each message deleted (in batches) only after Kafka acknowledged its record.
 */
public class CloudTrailEventBridgeSourceTask extends SourceTask {

    private EventBridgeQueueReader reader;
    private AwsAuth auth;

    @Override
    public String version() {
        return ConnectorVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        CloudTrailEventBridgeSourceConfig config = new CloudTrailEventBridgeSourceConfig(props);
        auth = config.credentials().open(config::region);
        reader = new EventBridgeQueueReader(config.sqsClient(auth.provider()), new EventBridgeQueueReader.Settings(config.queueUrl(),
            Set.copyOf(config.detailTypes()), config.topic(), config.deadLetterTopic(), config.maxRecordBytes(), config.maxMessages(),
            config.waitSeconds(), "eventID"), new AwsRetries("EventBridge source " + config.queueUrl(), config.retry())
            .registerIn(context.pluginMetrics()));
        reader.start();
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        return reader.poll();
    }

    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        reader.acknowledge(record, metadata);
    }

    @Override
    public void stop() {
        if (reader != null) {
            reader.stop();
        }
        if (auth != null) {
            auth.close();
        }
    }
}
