package io.trailhound.respond.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import io.trailhound.respond.TestAlerts;

class PlanLinesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String USER_ALERT = "{\"alertId\":\"a1\",\"ruleId\":\"UnauthorizedAccess:IAMUser/TorIPCaller\","
        + "\"mode\":\"LIVE\",\"principal\":{\"arn\":\"arn:aws:iam::111122223333:user/bob\",\"type\":\"IAMUser\","
        + "\"accountId\":\"111122223333\",\"accessKeyId\":\"AKIA1\"},\"accountId\":\"111122223333\",\"region\":\"eu-west-1\","
        + "\"incidentId\":\"inc-7\",\"lastSeen\":\"2026-11-28T00:09:00Z\"}";

    @Test
    void shouldWriteOneJsonLinePerStepWithEveryRequiredField() throws IOException {
        Result result = run(USER_ALERT + "\n");
        assertEquals(new PlanLines.Summary(1, 8, 0), result.summary());
        List<JsonNode> lines = result.lines();
        assertEquals(8, lines.size());
        for (String field : List.of("incidentId", "alertId", "runbook", "order", "phase", "action", "accountId", "region",
            "resource", "parameters", "requiresApproval", "skippedReason")) {
            assertTrue(lines.get(0).has(field), "missing " + field + " in " + lines.get(0));
        }
        JsonNode deny = lines.get(2);
        assertEquals("inc-7", deny.get("incidentId").asText());
        assertEquals("iam-user-compromise", deny.get("runbook").asText());
        assertEquals(3, deny.get("order").asInt());
        assertEquals("CONTAINMENT", deny.get("phase").asText());
        assertEquals("iam:PutUserPolicy", deny.get("action").asText());
        assertEquals("arn:aws:iam::111122223333:user/bob", deny.get("resource").asText());
        assertEquals("2026-11-28T00:10:01Z", deny.get("parameters").get("TokenIssueTimeBefore").asText());
        assertTrue(deny.get("skippedReason").isNull());
        assertEquals("NOTIFY", lines.get(7).get("phase").asText());
        assertTrue(lines.stream().allMatch(line -> line.get("dryRun").asBoolean()));
    }

    @Test
    void shouldShowWhyStepsOfAReplayedAlertAreSkipped() throws IOException {
        Result result = run(USER_ALERT.replace("\"LIVE\"", "\"REPLAY\""));
        assertFalse(result.lines().isEmpty());
        assertTrue(result.lines().stream().allMatch(line -> line.get("skippedReason").asText().contains("REPLAY")));
    }

    @Test
    void shouldReportBadLinesAndAlertsWithoutRunbookAndGoOn() throws IOException {
        Result result = run("garbage\n\n{\"alertId\":\"x\",\"ruleId\":\"TH-NONE\",\"mode\":\"LIVE\"}\n" + USER_ALERT);
        assertEquals(new PlanLines.Summary(2, 8, 1), result.summary());
        assertTrue(result.err().contains("line 1: skipped"), result.err());
        assertTrue(result.err().contains("line 3: alert x (rule 'TH-NONE'): no runbook applies"), result.err());
    }

    private static Result run(String input) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PlanLines.Summary summary = new PlanLines(ResponsePlannerTest.planner(Map.of()))
            .run(new BufferedReader(new StringReader(input)), new PrintWriter(out), new PrintWriter(err), TestAlerts.NOW);
        List<JsonNode> lines = out.toString().lines().map(PlanLinesTest::json).toList();
        return new Result(summary, lines, err.toString());
    }

    private static JsonNode json(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    private record Result(PlanLines.Summary summary, List<JsonNode> lines, String err) {
    }
}
