package io.trailhound.detect.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Incident;
import io.trailhound.avro.Severity;
import io.trailhound.avro.TimelineEntryKind;
import io.trailhound.detect.rules.RuleCatalog;

/**
 * Issue 4 acceptance: the root-compromise timeline of {@code timelines/attack_timelines.jsonl} (Panther's compromised root
 * credentials story: failed logins, a login from a new address, CloudTrail stopped, keys and an administrator user created,
 * then that user launching instances) becomes one incident, through the same topology as the live pipeline.
 */
class IncidentTimelinesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ROOT = "panther-compromised-root-creds";

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 3})
    void shouldMakeTheRootCompromiseOneIncident(int threads) throws IOException {
        Set<String> malicious = new HashSet<>();
        OfflineScan.Result result = new OfflineScan(Map.of(), RuleCatalog.builtIn(), OfflineScan.DEFAULT_LATENESS, threads)
                .run(scenario(ROOT, malicious));
        List<Alert> attack = attack(result, malicious);
        assertTrue(attack.size() >= 4, "the attack raises several alerts: " + attack);
        Set<String> ids = attack.stream().map(a -> result.incidentOf(a.getAlertId()).map(Incident::getIncidentId).orElse("none"))
                .collect(Collectors.toSet());
        assertEquals(1, ids.size(), "one incident for the whole attack: " + attack.stream()
                .map(a -> a.getRuleId() + "@" + a.getFirstSeen() + "->" + result.incidentOf(a.getAlertId())
                        .map(Incident::getIncidentId).orElse("none")).toList());
        Incident incident = result.incidents().stream().filter(i -> ids.contains(i.getIncidentId())).findFirst().orElseThrow();
        assertEquals(attack.size(), incident.getAlerts().size());
        assertEquals("arn:aws:iam::493859302102:root", incident.getChain().get(0).getPrincipalArn());
        assertEquals(Severity.CRITICAL, incident.getSeverity(), "StopLogging and an administrator user make it critical");
        assertTrue(incident.getEntities().getUserNames().contains("tracy_stone"), incident.getEntities().toString());
        assertTrue(incident.getTimeline().stream().allMatch(t -> t.getKind() == TimelineEntryKind.ALERT));
        for (int i = 1; i < incident.getTimeline().size(); i++) {
            assertFalse(incident.getTimeline().get(i).getTime().isBefore(incident.getTimeline().get(i - 1).getTime()), "time order");
        }
        assertEquals(attack.stream().map(Alert::getFirstSeen).min(Comparable::compareTo).orElseThrow(), incident.getStartedAt());
    }

    @Test
    void shouldGiveTheSameIncidentIdsOnAReplay() throws IOException {
        List<byte[]> records = scenario(ROOT, new HashSet<>());
        OfflineScan.Result first = new OfflineScan(Map.of(), RuleCatalog.builtIn()).run(records);
        OfflineScan.Result second = new OfflineScan(Map.of(), RuleCatalog.builtIn()).run(records);
        assertEquals(first.alerts().stream().map(a -> a.getAlertId() + ">" + a.getIncidentId()).toList(),
                second.alerts().stream().map(a -> a.getAlertId() + ">" + a.getIncidentId()).toList());
        assertFalse(first.incidents().isEmpty());
    }

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 3})
    void shouldSplitIncidentsAfterTheInactivityGap(int threads) throws IOException {
        Set<String> malicious = new HashSet<>();
        // one hour: the failed logins of the previous days and the intrusion are apart by more than that
        OfflineScan.Result result = new OfflineScan(Map.of("trailhound.incident.gap.ms", 3_600_000L), RuleCatalog.builtIn(),
                OfflineScan.DEFAULT_LATENESS, threads).run(scenario(ROOT, malicious));
        Set<String> ids = attack(result, malicious).stream().map(Alert::getIncidentId).collect(Collectors.toSet());
        assertTrue(ids.size() > 1, "a short gap splits the story: " + ids);
    }

    /** Alerts on the attack: the timeline reuses event ids, so by time too (from the first malicious event on). */
    private static List<Alert> attack(OfflineScan.Result result, Set<String> malicious) {
        Instant start = malicious.stream().map(m -> Instant.parse(m.substring(m.indexOf('|') + 1))).min(Comparable::compareTo)
                .orElseThrow();
        return result.alerts().stream().filter(a -> !a.getFirstSeen().isBefore(start)).toList();
    }

    /** The raw records of a scenario; adds "eventID|eventTime" of its malicious records to {@code malicious}. */
    static List<byte[]> scenario(String name, Set<String> malicious) throws IOException {
        List<byte[]> records = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("src/test/resources/timelines/attack_timelines.jsonl"), StandardCharsets.UTF_8)) {
            JsonNode row = MAPPER.readTree(line);
            if (name.equals(row.path("scenario").asText())) {
                records.add(MAPPER.writeValueAsBytes(row.path("event")));
                if (row.path("malicious").asBoolean()) {
                    malicious.add(row.path("event").path("eventID").asText() + "|" + row.path("event").path("eventTime").asText());
                }
            }
        }
        return records;
    }
}
