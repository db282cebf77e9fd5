package io.trailhound.detect.topology;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.avro.Alert;
import io.trailhound.detect.rules.Rule;

/**
 * Every rule's golden events through the topology in {@code TopologyTestDriver}: the positive events raise the rule, the negative
 * events do not. Events live in {@code src/test/resources/rules/<rule-id>/} (see the README there for their origin). All
 * positive files run through one driver and all negative files through another (a driver costs about half a second); each
 * assertion looks only at alerts of its rule that list its own events.
 */
class GoldenEventsTest {

    private static final Path GOLDEN = Path.of("src/test/resources/rules");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static List<Alert> positiveAlerts;
    private static List<Alert> negativeAlerts;

    @TempDir
    static Path stateDir;

    @BeforeAll
    static void runGoldenEvents() throws IOException {
        positiveAlerts = run("positive.jsonl");
        negativeAlerts = run("negative.jsonl");
    }

    static Stream<String> ruleIds() {
        return TopologyFixture.CATALOG.rules().stream().map(Rule::id);
    }

    @Test
    void shouldShipGoldenEventsForEveryRule() {
        for (Rule rule : TopologyFixture.CATALOG.rules()) {
            assertTrue(Files.isRegularFile(GOLDEN.resolve(rule.id()).resolve("positive.jsonl")), rule.id() + " lacks positive.jsonl");
            assertTrue(Files.isRegularFile(GOLDEN.resolve(rule.id()).resolve("negative.jsonl")), rule.id() + " lacks negative.jsonl");
        }
    }

    @ParameterizedTest(name = "{0} positive events raise it")
    @MethodSource("ruleIds")
    void shouldRaiseTheRuleOnItsPositiveEvents(String ruleId) throws IOException {
        Set<String> ids = eventIds(ruleId, "positive.jsonl");
        assertTrue(positiveAlerts.stream().anyMatch(a -> a.getRuleId().equals(ruleId) && a.getEventIds().stream().anyMatch(ids::contains)),
                ruleId + " did not fire on " + ids);
    }

    @ParameterizedTest(name = "{0} negative events stay quiet")
    @MethodSource("ruleIds")
    void shouldStayQuietOnItsNegativeEvents(String ruleId) throws IOException {
        Set<String> ids = eventIds(ruleId, "negative.jsonl");
        assertFalse(negativeAlerts.stream().anyMatch(a -> a.getRuleId().equals(ruleId) && a.getEventIds().stream().anyMatch(ids::contains)),
                ruleId + " fired on its negative events " + ids);
    }

    private static List<Alert> run(String fileName) throws IOException {
        try (TopologyFixture topology = new TopologyFixture(Files.createTempDirectory(stateDir, "golden"))) {
            for (Rule rule : TopologyFixture.CATALOG.rules()) {
                Path file = GOLDEN.resolve(rule.id()).resolve(fileName);
                if (Files.isRegularFile(file)) {
                    topology.pipeLines(file);
                }
            }
            return new ArrayList<>(topology.alerts());
        }
    }

    private static Set<String> eventIds(String ruleId, String fileName) throws IOException {
        Set<String> ids = new HashSet<>();
        for (String line : Files.readAllLines(GOLDEN.resolve(ruleId).resolve(fileName), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                ids.add(MAPPER.readTree(line).path("eventID").asText());
            }
        }
        assertFalse(ids.isEmpty(), ruleId + " " + fileName + " holds no events");
        return ids;
    }
}
