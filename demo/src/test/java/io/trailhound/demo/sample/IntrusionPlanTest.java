package io.trailhound.demo.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Mode;
import io.trailhound.detect.rules.RuleCatalog;
import io.trailhound.detect.scan.AlertJson;
import io.trailhound.detect.scan.OfflineScan;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.plan.PlanLines;
import io.trailhound.respond.plan.ResponsePlanner;

/**
 * Issue #14's check on the bundled multi-stage intrusion (leaked user key → recon → AssumeRole into production → admin user
 * and key, StopLogging, bucket and snapshot exposed, a crypto-mining finding, stolen instance credentials): {@code scan} →
 * alerts as LIVE → {@code plan} at the time of the last event contains the chain root's containment, the pivot role's in its
 * own account, the miner's evidence before its isolation, and termination only behind approval; REPLAY plans nothing.
 */
class IntrusionPlanTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant ANCHOR = Instant.parse("2026-11-28T02:30:00Z");

    @Test
    void shouldContainTheWholeChainRootFirstAndTheMinerEvidenceFirst() throws IOException {
        SampleData sample = SampleData.generate(SampleData.DEFAULT_SEED, ANCHOR);
        List<Alert> alerts = scan(sample, Mode.LIVE);
        List<JsonNode> plan = plan(alerts, Map.of(ResponderConfig.TERMINATE_CONFIG, "true"));
        String dana = sample.leakedUserArn();

        for (String action : List.of("iam:UpdateAccessKey", "iam:PutUserPolicy", "iam:DeleteLoginProfile")) {
            JsonNode step = find(plan, action, dana);
            assertTrue(step != null && step.path("skippedReason").isNull(), action + " on the leaked user: " + summary(plan));
        }
        // the pivot's first-role alert (MEDIUM, novelty) asked for approval; the incident's chain-wide plan takes it, after the root
        JsonNode pivot = plan.stream().filter(s -> s.path("action").asText().equals("iam:PutRolePolicy")
            && s.path("resource").asText().equals("arn:aws:iam::222222222222:role/OrganizationAccountAccessRole")
            && !s.path("requiresApproval").asBoolean()).findFirst().orElse(null);
        assertTrue(pivot != null, "older sessions of the pivot role denied: " + summary(plan));
        assertEquals("222222222222", pivot.path("accountId").asText(), "in the role's own account");
        assertTrue(indexOf(plan, "iam:UpdateAccessKey", dana) < plan.indexOf(pivot), "root credential first: " + summary(plan));

        String miner = alerts.stream().filter(a -> a.getFindingTypes().contains("CryptoCurrency:EC2/BitcoinTool.B!DNS"))
            .flatMap(a -> a.getEntities().getInstanceIds().stream()).findFirst().orElseThrow();
        int firstIsolation = indexOf(plan, "ec2:ModifyNetworkInterfaceAttribute", null);
        assertTrue(firstIsolation > 0, summary(plan));
        for (String evidence : List.of("ec2:CreateSnapshots", "ec2:GetConsoleOutput")) {
            int at = indexOf(plan, evidence, miner);
            assertTrue(at >= 0 && at < firstIsolation, evidence + " before the first isolation: " + summary(plan));
        }
        Map<String, Long> swapsPerInterface = plan.stream()
            .filter(s -> s.path("action").asText().equals("ec2:ModifyNetworkInterfaceAttribute"))
            .collect(Collectors.groupingBy(s -> s.path("resource").asText(), Collectors.counting()));
        assertFalse(swapsPerInterface.isEmpty());
        assertTrue(swapsPerInterface.values().stream().allMatch(n -> n == 2), "two-step swap per interface: " + swapsPerInterface);
        List<JsonNode> terminations = plan.stream().filter(s -> s.path("action").asText().equals("ec2:TerminateInstances")).toList();
        assertFalse(terminations.isEmpty(), "termination is planned with responder.ec2.terminate=true");
        assertTrue(terminations.stream().allMatch(s -> s.path("requiresApproval").asBoolean()), terminations.toString());
    }

    @Test
    void shouldPlanNothingThatActsForReplayedAlerts() throws IOException {
        List<JsonNode> plan = plan(scan(SampleData.generate(SampleData.DEFAULT_SEED, ANCHOR), Mode.REPLAY), Map.of());
        assertFalse(plan.isEmpty());
        assertTrue(plan.stream().allMatch(s -> !s.path("skippedReason").isNull()), "every step skipped: " + summary(plan));
    }

    private static List<Alert> scan(SampleData sample, Mode mode) {
        List<byte[]> raw = new ArrayList<>();
        sample.allEvents().forEach(e -> raw.add(e.json().toString().getBytes(StandardCharsets.UTF_8)));
        sample.findings().forEach(f -> raw.add(f.toString().getBytes(StandardCharsets.UTF_8)));
        return new OfflineScan(Map.of(), RuleCatalog.builtIn()).run(raw).alerts().stream()
            .map(a -> Alert.newBuilder(a).setMode(mode).build()).toList();
    }

    /** {@code trailhound plan} over the alerts' JSON lines at the time of the last event. */
    private static List<JsonNode> plan(List<Alert> alerts, Map<String, String> settings) throws IOException {
        Instant now = alerts.stream().map(Alert::getLastSeen).max(Comparator.naturalOrder()).orElseThrow();
        String lines = alerts.stream().map(AlertJson::json).collect(Collectors.joining("\n"));
        StringWriter out = new StringWriter();
        new PlanLines(ResponsePlanner.from(new ResponderConfig(new HashMap<>(settings))))
            .run(new BufferedReader(new StringReader(lines)), new PrintWriter(out), new PrintWriter(new StringWriter()), now);
        List<JsonNode> steps = new ArrayList<>();
        for (String line : out.toString().lines().toList()) {
            steps.add(JSON.readTree(line));
        }
        return steps;
    }

    private static JsonNode find(List<JsonNode> plan, String action, String resource) {
        int at = indexOf(plan, action, resource);
        return at < 0 ? null : plan.get(at);
    }

    private static int indexOf(List<JsonNode> plan, String action, String resource) {
        for (int i = 0; i < plan.size(); i++) {
            JsonNode s = plan.get(i);
            if (s.path("action").asText().equals(action) && (resource == null || s.path("resource").asText().contains(resource))) {
                return i;
            }
        }
        return -1;
    }

    private static String summary(List<JsonNode> plan) {
        return plan.stream().map(s -> s.path("action").asText() + " " + s.path("resource").asText() + " "
            + (s.path("skippedReason").isNull() ? "" : "SKIPPED")).collect(Collectors.joining("\n  ", "\n  ", ""));
    }
}
