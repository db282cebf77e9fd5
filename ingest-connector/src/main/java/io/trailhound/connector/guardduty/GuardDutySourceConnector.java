package io.trailhound.connector.guardduty;

import java.util.ArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.trailhound.connector.ConnectorVersion;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

import software.amazon.awssdk.core.exception.SdkException;
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
        boolean clean = result.configValues().stream().allMatch(v -> v.errorMessages().isEmpty());
        Optional<ConfigValue> regions = result.configValues().stream()
            .filter(v -> v.name().equals(GuardDutySourceConfig.REGIONS_CONFIG)).findFirst();
        if (clean && regions.isPresent()) {
            GuardDutySourceConfig config = new GuardDutySourceConfig(connectorConfigs);
            if (!config.queueMode()) {
                checkAccess(config).ifPresent(regions.get()::addErrorMessage);
            }
        }
        return result;
    }

    /** Asks each region for its detectors within validate.timeout.ms; a problem comes back as a message. */
    private static Optional<String> checkAccess(GuardDutySourceConfig config) {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "guardduty-validate");
            thread.setDaemon(true);
            return thread;
        });
        Future<Optional<String>> check = executor.submit(() -> {
            for (String region : config.regions()) {
                try (GuardDutyClient client = config.client(region, new RawResponseCapture())) {
                    client.listDetectors(r -> r.maxResults(1));
                } catch (SdkException e) {
                    return Optional.of(GuardDutyFailure.of(e, "ListDetectors", region, null).message());
                }
            }
            return Optional.<String>empty();
        });
        try {
            return check.get(config.validateTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Optional.of("No answer from GuardDuty within " + config.validateTimeout().toMillis() + " ms (validate.timeout.ms)");
        } catch (ExecutionException e) {
            return Optional.of("Cannot check access to GuardDuty: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("Interrupted while checking access to GuardDuty");
        } finally {
            executor.shutdownNow();
        }
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
