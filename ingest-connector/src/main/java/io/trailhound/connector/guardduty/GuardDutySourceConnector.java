package io.trailhound.connector.guardduty;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.trailhound.connector.ConnectorVersion;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

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
        // The cursor in each record's offset says exactly which finding versions were emitted.
        return ExactlyOnceSupport.SUPPORTED;
    }
}
