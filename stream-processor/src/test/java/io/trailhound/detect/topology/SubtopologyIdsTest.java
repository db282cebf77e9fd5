package io.trailhound.detect.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

import io.trailhound.topic.Topics;

/**
 * The live topology's sub-topology ids by the topics they read. A task's id is its sub-topology's id and a partition, and
 * its local state lives under that id: a change that renumbers the sub-topologies makes a running deployment restore every
 * store from its changelog on upgrade. Kafka Streams numbers them by the sorted names of their source nodes, so a new source
 * must be named to sort where it keeps the numbers (or the upgrade notes must say the state is restored).
 */
class SubtopologyIdsTest {

    @Test
    void shouldKeepEverySubtopologysId() {
        Map<String, Object> serdeConfigs = Map.of("schema.registry.url", "http://in-process.invalid");
        LocalSchemaRegistry registry = new LocalSchemaRegistry();
        StreamProcessorConfig config = new StreamProcessorConfig(Map.of(StreamProcessorConfig.MODE_CONFIG, "LIVE"),
                TopologyFixture.CATALOG);
        TopologyDescription description = DetectionTopology.build(config, TopologyFixture.CATALOG, new Topics(registry, serdeConfigs),
                registry, serdeConfigs).describe();
        Map<Integer, Set<String>> sources = new TreeMap<>();
        for (TopologyDescription.Subtopology sub : description.subtopologies()) {
            Set<String> topics = new TreeSet<>();
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source source) {
                    topics.addAll(source.topicSet());
                }
            }
            sources.put(sub.id(), topics);
        }
        // 0 and 3 are the global stores' (lineage, access summaries); the TH-ACC alerts' own repartition joins the incident
        // stage (2) without renumbering anything
        assertEquals(Map.of(
                1, Set.of("by-finding-repartition", "by-principal-repartition", Topics.CLOUDTRAIL_RAW, Topics.GUARDDUTY_RAW),
                2, Set.of("incident-in-repartition", "incident-in-access-repartition"),
                4, Set.of("access-in-repartition", Topics.IAM_SNAPSHOTS)), sources);
    }
}
