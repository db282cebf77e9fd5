package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PlanCommandTest {

    private static final String ALERT = "{\"alertId\":\"a1\",\"ruleId\":\"CryptoCurrency:EC2/BitcoinTool.B!DNS\",\"mode\":\"LIVE\","
        + "\"accountId\":\"111122223333\",\"region\":\"us-east-1\",\"incidentId\":\"inc-1\","
        + "\"entities\":{\"instanceIds\":[\"i-0123456789abcdef0\"]},\"lastSeen\":\"2026-11-28T00:09:00Z\"}";

    @TempDir
    Path dir;

    @Test
    void shouldPrintOneJsonLinePerStepForAnAlertsFile() throws IOException {
        Path file = Files.writeString(dir.resolve("alerts.jsonl"), ALERT + "\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Trailhound.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        assertEquals(0, cli.execute("plan", "--now", "2026-11-28T00:10:00Z", file.toString()), err.toString());
        List<String> lines = out.toString().lines().toList();
        assertTrue(lines.size() > 10, out.toString());
        assertTrue(lines.get(0).contains("\"phase\":\"EVIDENCE\"") && lines.get(0).contains("\"runbook\":\"ec2-compromise\""));
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"action\":\"ec2:ModifyNetworkInterfaceAttribute\"")));
        assertTrue(lines.stream().allMatch(l -> l.contains("\"dryRun\":true")));
        assertTrue(err.toString().contains("dry run, nothing changed"), err.toString());
    }

    @Test
    void shouldPlanTheRunbookOfAGuardDutyFindingTypeFromTheLinesScanPrints() throws IOException {
        // #14: scan's lines carry findingTypes, so plan picks the cryptomining runbook as the live responder does
        Path finding = Files.writeString(dir.resolve("finding.json"), "{\"schemaVersion\":\"2.0\",\"accountId\":\"111122223333\","
            + "\"region\":\"us-east-1\",\"partition\":\"aws\",\"id\":\"f-crypto\",\"type\":\"CryptoCurrency:EC2/BitcoinTool.B!DNS\","
            + "\"severity\":8,\"title\":\"Bitcoin-related domain queried\",\"createdAt\":\"2026-11-28T00:05:00.000Z\","
            + "\"updatedAt\":\"2026-11-28T00:05:00.000Z\",\"resource\":{\"resourceType\":\"Instance\","
            + "\"instanceDetails\":{\"instanceId\":\"i-0123456789abcdef0\"}},\"service\":{\"serviceName\":\"guardduty\",\"count\":1}}\n");
        StringWriter scanned = new StringWriter();
        CommandLine scan = Trailhound.commandLine();
        scan.setOut(new PrintWriter(scanned, true));
        scan.setErr(new PrintWriter(new StringWriter(), true));
        assertEquals(0, scan.execute("scan", finding.toString()));
        assertTrue(scanned.toString().contains("\"findingTypes\":[\"CryptoCurrency:EC2/BitcoinTool.B!DNS\"]"), scanned.toString());
        // as the check does: the scan's alerts (REPLAY) planned as if they had arrived live
        Path alerts = Files.writeString(dir.resolve("alerts.jsonl"),
            scanned.toString().replace("\"mode\":\"REPLAY\"", "\"mode\":\"LIVE\""));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine plan = Trailhound.commandLine();
        plan.setOut(new PrintWriter(out, true));
        plan.setErr(new PrintWriter(err, true));
        assertEquals(0, plan.execute("plan", "--now", "2026-11-28T00:06:00Z", alerts.toString()), err.toString());
        List<String> lines = out.toString().lines().toList();
        assertTrue(lines.stream().allMatch(l -> l.contains("\"runbook\":\"ec2-compromise\"")), out + err.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"action\":\"ec2:ModifyNetworkInterfaceAttribute\"")
            && l.contains("\"skippedReason\":null")), out.toString());
    }

    @Test
    void shouldMarkEveryStepSkippedWhenProtectedByConfiguration() throws IOException {
        Path file = Files.writeString(dir.resolve("alerts.jsonl"), ALERT + "\n");
        StringWriter out = new StringWriter();
        CommandLine cli = Trailhound.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        assertEquals(0, cli.execute("plan", "--now", "2026-11-28T00:10:00Z",
            "--set", "responder.protected.arns=arn:aws:ec2:*:*:instance/i-0123456789abcdef0", file.toString()));
        assertTrue(out.toString().lines().filter(l -> l.contains("\"phase\":\"CONTAINMENT\""))
            .allMatch(l -> l.contains("\"skippedReason\":\"protected")), out.toString());
    }

    @Test
    void shouldRefuseAnInvalidConfiguration() {
        StringWriter err = new StringWriter();
        CommandLine cli = Trailhound.commandLine();
        cli.setErr(new PrintWriter(err, true));
        assertEquals(2, cli.execute("plan", "--set", "responder.circuit.breaker.max.actions.per.minute=0"));
        assertTrue(err.toString().contains("responder.circuit.breaker.max.actions.per.minute"), err.toString());
    }
}
