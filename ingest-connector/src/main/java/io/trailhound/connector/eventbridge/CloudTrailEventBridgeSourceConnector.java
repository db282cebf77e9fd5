package io.trailhound.connector.eventbridge;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.trailhound.connector.AccessCheck;
import io.trailhound.connector.ConnectorVersion;
import io.trailhound.connector.QueueAccess;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Kafka Connect source for CloudTrail's fast path: EventBridge events on an SQS queue, each event's {@code detail}
 * forwarded byte for byte, and each message deleted only after Kafka acknowledged its record.
 */
public class CloudTrailEventBridgeSourceConnector extends SourceConnector {

    private Map<String, String> props;

    @Override
    public String version() {
        return ConnectorVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        new CloudTrailEventBridgeSourceConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return CloudTrailEventBridgeSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        // SQS shares messages out between concurrent receivers, so every task reads the same queue.
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            configs.add(props);
        }
        return configs;
    }

    @Override
    public void stop() {
        props = null;
    }

    @Override
    public ConfigDef config() {
        return CloudTrailEventBridgeSourceConfig.CONFIG_DEF;
    }

    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        Optional<ConfigValue> queue = AccessCheck.valueOf(result, CloudTrailEventBridgeSourceConfig.QUEUE_URL_CONFIG);
        if (AccessCheck.clean(result) && queue.isPresent()) {
            CloudTrailEventBridgeSourceConfig config = new CloudTrailEventBridgeSourceConfig(connectorConfigs);
            QueueAccess.checkWithin(config.validateTimeout(), config.queueUrl(), CloudTrailEventBridgeSourceConfig.QUEUE_URL_CONFIG,
                () -> config.credentials().open(config::region), config::sqsClient).ifPresent(queue.get()::addErrorMessage);
        }
        return result;
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        // A queue cannot be rewound: a message deleted after its record committed is the best it offers (at least once).
        return ExactlyOnceSupport.UNSUPPORTED;
    }
}
