package io.trailhound.detect.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Incident;
import io.trailhound.avro.Severity;

/**
 * The identity-origin timelines of #18 ({@code timelines/identity/}, written by {@code scripts/identity-timelines.py}) and the
 * check of detection results against their {@code expected.json}: for an attack, every step alerted by one of its expected
 * rules (and by each of its required ones), all alerts on the intrusion in one incident whose chain starts at the human or
 * federated subject, and nothing above LOW on the history; for a benign timeline, nothing above LOW at all.
 */
public final class IdentityTimelines {

    /** Where the timelines are, relative to the module. */
    public static final Path DIR = Path.of("src/test/resources/timelines/identity");
    /** The organization the timelines' accounts belong to (the other accounts they name are foreign). */
    public static final Map<String, Object> SETTINGS = Map.of("trailhound.organization.accounts",
            "111111111111,222222222222,333333333333,444444444444");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private IdentityTimelines() {
    }

    /** The scenario names, attacks and benign ones. */
    public static List<String> scenarios() {
        List<String> names = new ArrayList<>();
        expected().fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The scenarios that are intrusions. */
    public static List<String> attacks() {
        return scenarios().stream().filter(s -> expected().path(s).path("attack").asBoolean()).toList();
    }

    /** The raw CloudTrail records of {@code scenario}, in file order. */
    public static List<byte[]> records(String scenario) {
        List<byte[]> out = new ArrayList<>();
        for (JsonNode row : rows(scenario)) {
            try {
                out.add(MAPPER.writeValueAsBytes(row.path("event")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /**
     * Checks {@code alerts} (final state of each alert) and {@code incidents} of a run over {@code scenario}'s records (maybe
     * among other scenarios' records with other principals) against the scenario's expectations.
     */
    public static void check(String scenario, List<Alert> alerts, List<Incident> incidents) {
        Set<String> malicious = new HashSet<>();
        Set<String> own = new HashSet<>();
        for (JsonNode row : rows(scenario)) {
            String id = row.path("event").path("eventID").asText();
            own.add(id);
            if (row.path("malicious").asBoolean()) {
                malicious.add(id);
            }
        }
        List<Alert> mine = alerts.stream().filter(a -> a.getEventIds().stream().anyMatch(own::contains)).toList();
        JsonNode expected = expected().path(scenario);
        for (Alert a : mine) {
            boolean onlyBenign = a.getEventIds().stream().noneMatch(malicious::contains);
            assertFalse(onlyBenign && a.getSeverity().ordinal() > Severity.LOW.ordinal(),
                    scenario + ": benign activity raised " + a.getRuleId() + " at " + a.getSeverity() + " on " + a.getEventIds());
        }
        if (!expected.path("attack").asBoolean()) {
            return;
        }
        expected.path("steps").properties().forEach(step -> {
            Set<String> rules = new HashSet<>();
            step.getValue().path("rules").forEach(r -> rules.add(r.asText()));
            assertTrue(mine.stream().anyMatch(a -> rules.contains(a.getRuleId()) && a.getEventIds().contains(step.getKey())),
                    scenario + ": step '" + step.getValue().path("step").asText() + "' raised none of " + rules + "; alerts: "
                            + mine.stream().map(a -> a.getRuleId() + a.getEventIds()).toList());
            step.getValue().path("required").forEach(r -> assertTrue(
                    mine.stream().anyMatch(a -> r.asText().equals(a.getRuleId()) && a.getEventIds().contains(step.getKey())),
                    scenario + ": step '" + step.getValue().path("step").asText() + "' did not raise " + r.asText()));
        });
        List<Alert> intrusion = mine.stream().filter(a -> a.getEventIds().stream().anyMatch(malicious::contains))
                .filter(a -> a.getSeverity() != Severity.INFORMATIONAL).toList();
        // #16: an incident lists its alerts; each alert carries the incident key of its root identity
        Map<String, String> incidentOf = new HashMap<>();
        incidents.forEach(i -> i.getAlerts().forEach(a -> incidentOf.put(a.getAlertId(), i.getIncidentId())));
        Set<String> ids = intrusion.stream().map(a -> String.valueOf(incidentOf.get(a.getAlertId()))).collect(Collectors.toSet());
        assertEquals(1, ids.size(), scenario + ": one incident for the intrusion: "
                + intrusion.stream().map(a -> a.getRuleId() + "->" + incidentOf.get(a.getAlertId())).toList());
        Incident incident = incidents.stream().filter(i -> ids.contains(i.getIncidentId())).reduce((x, y) -> y).orElseThrow();
        assertTrue(intrusion.stream().anyMatch(a -> incident.getIncidentId().equals(a.getIncidentId())),
                scenario + ": the incident's id is the incident key of its alerts: " + incident.getIncidentId() + " "
                        + intrusion.stream().map(a -> a.getRuleId() + "/" + a.getPrincipal().getPrincipalKey() + "->" + a.getIncidentId())
                        .toList() + " chain " + incident.getChain());
        assertEquals(expected.path("root").asText(), incident.getChain().get(0).getPrincipalArn(), scenario + ": chain root");
    }

    private static List<JsonNode> rows(String scenario) {
        try {
            List<JsonNode> rows = new ArrayList<>();
            for (String line : Files.readAllLines(DIR.resolve(scenario + ".jsonl"), StandardCharsets.UTF_8)) {
                rows.add(MAPPER.readTree(line));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode expected() {
        try {
            return MAPPER.readTree(DIR.resolve("expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
