package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrailhoundTest {

    private final CliRun cli = new CliRun();

    @Test
    void shouldListSubcommandsInHelp() {
        assertEquals(0, cli.exec("--help"));
        String help = cli.out();
        assertTrue(help.contains("Usage: trailhound"), help);
        assertTrue(help.contains("topics"), help);
        assertTrue(help.contains("generate-completion"), help);
    }

    /** #19 item 4: demo and bench are there when the embedded stack is (here: the test kit is on the class path). */
    @Test
    void shouldOfferDemoAndBenchWhenTheEmbeddedStackIsOnTheClassPath() {
        assertTrue(Trailhound.embeddedStackPresent());
        assertEquals(0, cli.exec("--help"));
        assertTrue(cli.out().contains("\n  demo "), cli.out());
        assertTrue(cli.out().contains("\n  bench "), cli.out());
    }

    @Test
    void shouldPrintTheBuildVersion() {
        assertEquals(0, cli.exec("--version"));
        assertTrue(cli.out().startsWith("trailhound 0."), cli.out());
    }

    @Test
    void shouldRejectUnknownSubcommandsWithAClearMessage() {
        assertNotEquals(0, cli.exec("frobnicate"));
        assertTrue(cli.err().contains("Unmatched argument") || cli.err().contains("Unknown"), cli.err());
    }

    /** #17: a missing file is one line naming it and exit code 2, never a stack trace. */
    @Test
    void shouldAnswerAMissingFileWithOneLineAndExitCodeTwo() {
        assertEquals(2, cli.exec("scan", "/nonexistent/trail"));
        assertEquals("trailhound scan: no such file or directory: /nonexistent/trail", cli.err().strip());
        assertEquals(2, cli.exec("plan", "/nonexistent/alerts.jsonl"));
        assertTrue(cli.err().contains("trailhound plan: no such file or directory: /nonexistent/alerts.jsonl"), cli.err());
        assertTrue(!cli.err().contains("\tat "), "no stack trace: " + cli.err());
    }

    /** #16: scan's --threads splits the principals over pipelines; the output is the same for any number; 0 is refused. */
    @Test
    void shouldScanAlikeOnOneOrSeveralThreads(@TempDir Path dir) throws IOException {
        StringBuilder records = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            String user = "u" + (i % 6);
            records.append("{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":\"AIDA").append(user)
                .append("\",\"arn\":\"arn:aws:iam::111111111111:user/").append(user).append("\",\"accountId\":\"111111111111\",")
                .append("\"userName\":\"").append(user).append("\"},\"eventTime\":\"2024-05-01T10:").append(String.format("%02d", i))
                .append(":00Z\",\"eventSource\":\"cloudtrail.amazonaws.com\",\"eventName\":\"")
                .append(i % 7 == 6 ? "StopLogging" : "DescribeTrails").append("\",\"awsRegion\":\"us-east-1\",")
                .append("\"sourceIPAddress\":\"203.0.113.9\",\"userAgent\":\"aws-cli/2\",\"eventID\":\"t-").append(i)
                .append("\",\"eventType\":\"AwsApiCall\",\"recipientAccountId\":\"111111111111\"}\n");
        }
        Path file = Files.writeString(dir.resolve("records.jsonl"), records.toString());
        CliRun single = new CliRun();
        assertEquals(0, single.exec("scan", "--threads", "1", file.toString()));
        assertTrue(single.out().lines().filter(l -> l.contains("\"ruleId\":\"TH-")).count() >= 6, single.out());
        CliRun several = new CliRun();
        assertEquals(0, several.exec("scan", "--threads", "3", file.toString()));
        assertEquals(single.out(), several.out());
        assertEquals(2, cli.exec("scan", "--threads", "0", file.toString()));
        assertTrue(cli.err().contains("--threads must be at least 1"), cli.err());
    }

    @Test
    void shouldGenerateABashCompletionScript() {
        assertEquals(0, cli.exec("generate-completion"));
        assertTrue(cli.out().contains("complete -F"), "a bash completion script");
    }
}
