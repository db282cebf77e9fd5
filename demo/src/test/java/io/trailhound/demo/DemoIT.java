package io.trailhound.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import io.trailhound.avro.Alert;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.ResponseAction;
import io.trailhound.avro.Severity;
import io.trailhound.demo.sample.SampleData;

import org.junit.jupiter.api.Test;

/**
 * Issue 6: the demo path of {@code trailhound demo}, end to end on the real components (KRaft broker, Connect worker with our
 * connectors, Apicurio registry process, stream processor, responder in dry run): the incident's chain starts at the leaked
 * user, its containment plan has destructive steps awaiting approval, and everything is released at the end.
 */
class DemoIT {

    @Test
    void shouldSummariseTheIntrusionAndReleaseEverything() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new Tee(captured, System.out), true, StandardCharsets.UTF_8);
        Instant started = Instant.now();

        DemoResult result = Demo.run(new DemoOptions(out, Duration.ofMinutes(4), Duration.ofSeconds(2), false, SampleData.DEFAULT_SEED));

        String text = captured.toString(StandardCharsets.UTF_8);
        IncidentSummary incident = result.summary().orElseThrow(() -> new AssertionError("no incident; output:\n" + text));
        List<String> chain = incident.chain().stream().map(ChainLink::getPrincipalArn).toList();
        assertFalse(chain.isEmpty(), "no chain: " + describe(result.alerts()));
        assertEquals(result.leakedUserArn(), chain.get(0), "chain " + chain);
        assertTrue(chain.contains("arn:aws:iam::222222222222:role/OrganizationAccountAccessRole"), "chain " + chain);
        assertTrue(incident.alerts().stream().anyMatch(a -> a.getRuleId().equals("TH-CT-001")), describe(incident.alerts()));
        List<ResponseAction> waiting = incident.awaitingApproval();
        assertTrue(waiting.stream().anyMatch(ResponseAction::getDestructive), "no destructive step awaits approval in " + incident.plan());
        assertTrue(incident.plan().stream().allMatch(ResponseAction::getDryRun), "the demo's responder runs dry");
        assertTrue(incident.plan().stream().anyMatch(a -> !IncidentSummary.awaitsApproval(a)), "no automatic step in " + incident.plan());
        assertTrue(text.contains("Chain of identities") && text.contains("Timeline") && text.contains("Containment plan"), text);
        // #14: the chain root's leaked key is contained, and the summary says so
        assertTrue(incident.plan().stream().anyMatch(a -> a.getAwsAction().equals("iam:UpdateAccessKey")
            && a.getResource().equals(result.leakedUserArn())), "dana's key is not in the plan: " + incident.plan());
        assertTrue(text.contains("The chain root " + result.leakedUserArn() + " is contained first"), text);
        assertTrue(text.contains("ALERT"), "alerts are printed as they arrive");

        Instant intrusion = started.minus(SampleData.INTRUSION_LEAD).minus(Duration.ofMinutes(5));
        List<Alert> historyAboveLow = result.alerts().stream().filter(a -> a.getLastSeen().isBefore(intrusion))
            .filter(a -> a.getSeverity().ordinal() > Severity.LOW.ordinal()).toList();
        assertTrue(historyAboveLow.isEmpty(), "the benign history raised " + describe(historyAboveLow));

        for (int port : result.ports()) {
            assertTrue(free(port), "port " + port + " still in use");
        }
        assertTrue(result.registryPid().isPresent());
        assertFalse(ProcessHandle.of(result.registryPid().get()).map(ProcessHandle::isAlive).orElse(false), "registry still running");
        assertEquals(0, ProcessHandle.current().children().filter(ProcessHandle::isAlive).count(), "child processes left");
        for (Path dir : result.tempDirs()) {
            assertFalse(Files.exists(dir), dir + " not removed");
        }
    }

    private static String describe(List<Alert> alerts) {
        return alerts.stream().map(a -> a.getRuleId() + " " + a.getSeverity() + " runbook=" + a.getRunbook() + " principal="
            + (a.getPrincipal() == null ? null : a.getPrincipal().getArn()) + " chain=" + a.getChain().size() + " types="
            + a.getFindingTypes() + " instances=" + a.getEntities().getInstanceIds() + " keys=" + a.getEntities().getAccessKeyIds()
            + " incident=" + a.getIncidentId()).collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort() == port;
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes to two streams: the test keeps the output and the log shows it. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }
}
