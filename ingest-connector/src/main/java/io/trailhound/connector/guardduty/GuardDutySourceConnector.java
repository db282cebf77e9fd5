package io.trailhound.connector.guardduty;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import io.trailhound.connector.AccessCheck;
import io.trailhound.connector.AwsAuth;
import io.trailhound.connector.AwsCall;
import io.trailhound.connector.AwsFailure;
import io.trailhound.connector.ConnectorVersion;
import io.trailhound.connector.QueueAccess;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.guardduty.GuardDutyClient;

/**
 * Kafka Connect source of GuardDuty findings: per region and detector, every new version of a finding (same id, later
 * {@code updatedAt}) is forwarded once, byte for byte as the API returned it, resuming from an {@code updatedAt} cursor.
 */
public class GuardDutySourceConnector extends SourceConnector {

    private Map<String, String> props;

    @Override
    public String version() {
        return ConnectorVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        new GuardDutySourceConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return GuardDutySourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        // Regions are shared out round-robin; a task without a region is not started.
        List<String> regions = new GuardDutySourceConfig(props).regions();
        List<Map<String, String>> configs = new ArrayList<>();
        for (int i = 0; i < Math.min(maxTasks, regions.size()); i++) {
            List<String> mine = new ArrayList<>();
            for (int r = i; r < regions.size(); r += maxTasks) {
                mine.add(regions.get(r));
            }
            Map<String, String> task = new HashMap<>(props);
            task.put(GuardDutySourceConfig.REGIONS_CONFIG, String.join(",", mine));
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
        return GuardDutySourceConfig.CONFIG_DEF;
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        // API mode: the cursor in each record's offset says exactly which finding versions were emitted. A queue cannot be
        // rewound, so queue mode is at least once.
        return new GuardDutySourceConfig(connectorConfig).queueMode() ? ExactlyOnceSupport.UNSUPPORTED : ExactlyOnceSupport.SUPPORTED;
    }

    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        GuardDutySourceConfig config = new GuardDutySourceConfig(connectorConfig);
        if (config.queueMode()) {
            throw new ConnectException("Offsets of a GuardDuty source reading queue.url cannot be altered: the queue holds its position");
        }
        for (Map.Entry<Map<String, ?>, Map<String, ?>> entry : offsets.entrySet()) {
            try {
                checkPartition(config, entry.getKey());
                if (entry.getValue() != null) {
                    FindingCursor.validate(entry.getValue());
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
        if (!AccessCheck.clean(result)) {
            return result;
        }
        Map<String, String> conflicts = GuardDutySourceConfig.conflicts(connectorConfigs);
        if (!conflicts.isEmpty()) {
            conflicts.forEach((key, problem) -> AccessCheck.valueOf(result, key).ifPresent(v -> v.addErrorMessage(problem)));
            return result;
        }
        GuardDutySourceConfig config = new GuardDutySourceConfig(connectorConfigs);
        if (config.queueMode()) {
            AccessCheck.valueOf(result, GuardDutySourceConfig.QUEUE_URL_CONFIG).ifPresent(queue -> QueueAccess.checkWithin(
                config.validateTimeout(), config.queueUrl(), GuardDutySourceConfig.QUEUE_URL_CONFIG,
                () -> config.credentials().open(() -> Region.of(config.regions().get(0))), config::sqsClient)
                .ifPresent(queue::addErrorMessage));
            return result;
        }
        // The key a problem belongs to: regions (ListDetectors, or no answer), or detector.ids (GetDetector).
        AtomicReference<String> key = new AtomicReference<>(GuardDutySourceConfig.REGIONS_CONFIG);
        AccessCheck.within(config.validateTimeout(), "GuardDuty", () -> checkDetectors(config, key))
            .ifPresent(problem -> AccessCheck.valueOf(result, key.get()).ifPresent(v -> v.addErrorMessage(problem)));
        return result;
    }

    /**
     * In each account and region: GetDetector of each configured detector (a problem goes to detector.ids), else
     * ListDetectors (a problem goes to regions); {@code key} is set to the key the problem belongs to.
     */
    private static Optional<String> checkDetectors(GuardDutySourceConfig config, AtomicReference<String> key) {
        Map<String, AwsAuth> auths = config.openCredentials();
        try {
            for (AwsAuth auth : auths.values()) {
                for (String region : config.regions()) {
                    try (GuardDutyClient client = config.client(region, new RawResponseCapture(), auth.provider())) {
                        Optional<String> problem = checkRegion(config, client, region, key);
                        if (problem.isPresent()) {
                            return problem;
                        }
                    }
                }
            }
            return Optional.empty();
        } finally {
            auths.values().forEach(AwsAuth::close);
        }
    }

    private static Optional<String> checkRegion(GuardDutySourceConfig config, GuardDutyClient client, String region,
                                                AtomicReference<String> key) {
        List<String> configured = config.detectorIds(region);
        if (configured.isEmpty()) {
            try {
                client.listDetectors(r -> r.maxResults(1));
                return Optional.empty();
            } catch (SdkException e) {
                return AwsFailure.of(e, AwsCall.guardDuty("ListDetectors", region, null)).configurationProblem();
            }
        }
        for (String detector : configured) {
            try {
                client.getDetector(r -> r.detectorId(detector));
            } catch (SdkException e) {
                key.set(GuardDutySourceConfig.DETECTOR_IDS_CONFIG);
                return AwsFailure.of(e, AwsCall.guardDuty("GetDetector", region, detector)).configurationProblem();
            }
        }
        return Optional.empty();
    }

    private static void checkPartition(GuardDutySourceConfig config, Map<String, ?> partition) {
        if (partition == null || !Set.of("region", "detector").equals(partition.keySet())) {
            throw new IllegalArgumentException("a GuardDuty partition has exactly 'region' and 'detector'");
        }
        Object region = partition.get("region");
        if (!config.regions().contains(region)) {
            throw new IllegalArgumentException("region " + region + " is not in this connector's 'regions' " + config.regions());
        }
        if (!(partition.get("detector") instanceof String detector) || !detector.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("'detector' must be a detector id, got " + partition.get("detector"));
        }
    }
}
