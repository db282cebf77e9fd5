package io.trailhound.connector.cloudtrail;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.trailhound.connector.AccessCheck;
import io.trailhound.connector.AwsAuth;
import io.trailhound.connector.AwsFailure;
import io.trailhound.connector.ConnectorVersion;
import io.trailhound.connector.QueueAccess;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Kafka Connect source reading CloudTrail log files from {@code s3://bucket/prefix} or a local copy, one Kafka record per
 * CloudTrail event with the event's bytes exactly as AWS wrote them, resumable to the record inside a file.
 */
public class CloudTrailS3SourceConnector extends SourceConnector {

    private Map<String, String> props;

    @Override
    public String version() {
        return ConnectorVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        new CloudTrailS3SourceConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return CloudTrailS3SourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            Map<String, String> task = new HashMap<>(props);
            task.put(CloudTrailS3SourceConfig.TASK_INDEX_CONFIG, Integer.toString(i));
            task.put(CloudTrailS3SourceConfig.TASK_COUNT_CONFIG, Integer.toString(maxTasks));
            configs.add(task);
        }
        return configs;
    }

    @Override
    public void stop() {
        props = null;
    }

    @Override
    public ConfigDef config() {
        return CloudTrailS3SourceConfig.CONFIG_DEF;
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        // Offsets name the exact record inside a file, so a transaction's records and offsets always agree. Notifications:
        // the offsets also remember the files read in the dedup window, so a redelivered notification is not read again —
        // as long as one task reads the queue (tasks share the queue, not the partitions, so two could read one file).
        boolean notified = !connectorConfig.getOrDefault(CloudTrailS3SourceConfig.NOTIFICATIONS_QUEUE_CONFIG, "").isBlank();
        boolean oneTask = connectorConfig.getOrDefault("tasks.max", "1").trim().equals("1");
        return !notified || oneTask ? ExactlyOnceSupport.SUPPORTED : ExactlyOnceSupport.UNSUPPORTED;
    }

    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        TrailLocation location = new CloudTrailS3SourceConfig(connectorConfig).location();
        for (Map.Entry<Map<String, ?>, Map<String, ?>> entry : offsets.entrySet()) {
            try {
                TrailPartition partition = partitionOf(location, entry.getKey());
                CloudTrailOffset.validate(entry.getValue());
                for (String field : new String[] {CloudTrailOffset.KEY, CloudTrailOffset.AFTER}) {
                    Object key = entry.getValue() == null ? null : entry.getValue().get(field);
                    if (key != null && !key.toString().startsWith(partition.keyPrefix())) {
                        throw new IllegalArgumentException("offset " + field + " must lie below " + partition.keyPrefix());
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new ConnectException("Invalid offset for partition " + entry.getKey() + ": " + e.getMessage());
            }
        }
        return true;
    }

    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        if (AccessCheck.clean(result)) {
            CloudTrailS3SourceConfig config = new CloudTrailS3SourceConfig(connectorConfigs);
            AccessCheck.valueOf(result, CloudTrailS3SourceConfig.LOCATION_CONFIG)
                .ifPresent(location -> checkAccess(config).ifPresent(location::addErrorMessage));
            if (!config.notificationsQueueUrl().isBlank()) {
                AccessCheck.valueOf(result, CloudTrailS3SourceConfig.NOTIFICATIONS_QUEUE_CONFIG)
                    .ifPresent(queue -> checkQueue(config).ifPresent(queue::addErrorMessage));
            }
        }
        return result;
    }

    /**
     * Lists the location's AWSLogs/ folder and reads the first byte of one log file within validate.timeout.ms, so that a
     * missing s3:GetObject or kms:Decrypt (SSE-KMS trails) shows at configuration time, not on the first file; a problem
     * comes back as a message.
     */
    static Optional<String> checkAccess(CloudTrailS3SourceConfig config) {
        TrailLocation location = config.location();
        AwsSettings settings = config.awsSettings();
        return AccessCheck.within(config.validateTimeout(), location.uri(), () -> {
            try (AwsAuth auth = settings.credentials().open(settings::clientRegion);
                 TrailStore store = TrailStore.open(location, settings, auth)) {
                Optional<String> logFile;
                String awsLogs = location.prefix() + "AWSLogs/";
                try {
                    logFile = firstLogFile(store, awsLogs);
                } catch (Exception e) {
                    return AwsFailure.of(e, location.listCall(awsLogs)).configurationProblem();
                }
                if (logFile.isPresent()) {
                    try (InputStream in = store.open(logFile.get())) {
                        in.read();
                    } catch (Exception e) {
                        return AwsFailure.of(e, location.readCall(logFile.get())).configurationProblem();
                    }
                }
                return Optional.empty();
            }
        });
    }

    /** GetQueueAttributes on notifications.queue.url within validate.timeout.ms. */
    static Optional<String> checkQueue(CloudTrailS3SourceConfig config) {
        AwsSettings settings = config.awsSettings();
        return QueueAccess.checkWithin(config.validateTimeout(), config.notificationsQueueUrl().trim(),
            CloudTrailS3SourceConfig.NOTIFICATIONS_QUEUE_CONFIG, () -> settings.credentials().open(settings::clientRegion),
            settings::sqsClient);
    }

    /** The first CloudTrail log file (not a digest) of the first account, or empty when the trail has none yet. */
    private static Optional<String> firstLogFile(TrailStore store, String awsLogs) throws IOException {
        List<String> level = store.listPrefixes(awsLogs);
        if (!level.isEmpty() && level.get(0).substring(awsLogs.length()).startsWith("o-")) {
            level = store.listPrefixes(level.get(0));
        }
        if (level.isEmpty()) {
            return Optional.empty();
        }
        return store.list(level.get(0) + "CloudTrail/", "", 1).stream().map(StoredObject::key).findFirst();
    }

    private static TrailPartition partitionOf(TrailLocation location, Map<String, ?> partition) {
        Object uri = partition.get(TrailPartition.LOCATION);
        if (!location.uri().equals(uri)) {
            throw new IllegalArgumentException("partition location " + uri + " is not this connector's " + location.uri());
        }
        Object account = partition.get(TrailPartition.ACCOUNT);
        Object region = partition.get(TrailPartition.REGION);
        Object org = partition.get(TrailPartition.ORG);
        if (!(account instanceof String a) || !a.matches("\\d{12}") || !(region instanceof String r) || r.isBlank()) {
            throw new IllegalArgumentException("partition needs 'account' (12 digits) and 'region'");
        }
        String orgId = org instanceof String o && !o.isBlank() ? o : null;
        return TrailPartition.of(location, orgId, a, r);
    }
}
