package io.trailhound.connector.iam;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.trailhound.connector.AccessCheck;
import io.trailhound.connector.ConnectorVersion;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Kafka Connect source of IAM snapshots: per account (through its member role) every entity of
 * GetAccountAuthorizationDetails with its policy documents decoded, the SCPs in effect from Organizations, tombstones for
 * what is gone and an end-of-snapshot marker, on a compacted topic (see the module README's record contract).
 */
public class IamSnapshotSourceConnector extends SourceConnector {

    private Map<String, String> props;

    @Override
    public String version() {
        return ConnectorVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        new IamSnapshotSourceConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return IamSnapshotSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        // Accounts are shared out round-robin; a task without an account is not started.
        List<String> accounts = new IamSnapshotSourceConfig(props).accounts();
        List<Map<String, String>> configs = new ArrayList<>();
        for (int i = 0; i < Math.min(maxTasks, accounts.size()); i++) {
            List<String> mine = new ArrayList<>();
            for (int a = i; a < accounts.size(); a += maxTasks) {
                mine.add(accounts.get(a));
            }
            Map<String, String> task = new HashMap<>(props);
            task.put(IamSnapshotSourceConfig.ACCOUNTS_CONFIG, String.join(",", mine));
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
        return IamSnapshotSourceConfig.CONFIG_DEF;
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        // Each record carries its account's offset; a snapshot interrupted before its marker is read again with the same epoch.
        return ExactlyOnceSupport.SUPPORTED;
    }

    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        IamSnapshotSourceConfig config = new IamSnapshotSourceConfig(connectorConfig);
        for (Map.Entry<Map<String, ?>, Map<String, ?>> entry : offsets.entrySet()) {
            try {
                Map<String, ?> partition = entry.getKey();
                if (partition == null || !Set.of("account").equals(partition.keySet())) {
                    throw new IllegalArgumentException("an IAM snapshot partition has exactly 'account'");
                }
                if (!config.accounts().contains(String.valueOf(partition.get("account")))) {
                    throw new IllegalArgumentException("account " + partition.get("account") + " is not in 'accounts' "
                        + config.accounts());
                }
                if (entry.getValue() != null) {
                    SnapshotOffset.validate(entry.getValue());
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
            IamSnapshotSourceConfig.conflicts(connectorConfigs)
                .forEach((key, problem) -> AccessCheck.valueOf(result, key).ifPresent(v -> v.addErrorMessage(problem)));
        }
        return result;
    }
}
