package io.trailhound.demo.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.avro.Alert;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.Severity;
import io.trailhound.detect.rules.RuleCatalog;
import io.trailhound.detect.scan.OfflineScan;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled sample raises the intended alerts and nothing above LOW in its benign part (issue 6), by the scan's semantics. */
class SampleDataTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant ANCHOR = Instant.parse("2026-11-28T02:30:00Z");

    /**
     * Rules the intrusion must raise: new network and client, first use of the pivot role, persistence, evasion, exposure,
     * stolen instance credentials, findings. Not TH-BL-005: dana already works in production through ReadOnly.
     */
    private static final Set<String> INTENDED = Set.of("TH-BL-001", "TH-BL-002", "TH-BL-004", "TH-STS-004", "TH-IAM-004",
        "TH-SEQ-001", "TH-CT-001", "TH-EC2-003", "TH-RES-001", "TH-EC2-005", "TH-STS-003", "TH-GD-001");

    @TempDir
    Path dir;

    @Test
    void shouldRaiseNothingAboveLowOnTheHistory() {
        SampleData sample = SampleData.generate(SampleData.DEFAULT_SEED, ANCHOR);
        List<byte[]> raw = new ArrayList<>(bytes(sample.history()));
        raw.add(sample.findings().get(0).toString().getBytes());

        OfflineScan.Result result = new OfflineScan(Map.of(), RuleCatalog.builtIn()).run(raw);

        List<String> aboveLow = result.alerts().stream().filter(a -> a.getSeverity().ordinal() > Severity.LOW.ordinal())
            .map(a -> a.getRuleId() + " " + a.getTitle() + " " + a.getPrincipal()).collect(Collectors.toList());
        assertTrue(aboveLow.isEmpty(), "benign history raised: " + aboveLow);
        assertTrue(sample.history().size() > 1200, "history has " + sample.history().size() + " records");
        assertEquals(0, result.deadLettered());
    }

    @Test
    void shouldRaiseTheIntendedAlertsWithChainsStartingAtTheLeakedUser() {
        SampleData sample = SampleData.generate(SampleData.DEFAULT_SEED, ANCHOR);
        List<byte[]> raw = new ArrayList<>(bytes(sample.allEvents()));
        sample.findings().forEach(f -> raw.add(f.toString().getBytes()));

        List<Alert> alerts = new OfflineScan(Map.of(), RuleCatalog.builtIn()).run(raw).alerts();

        Set<String> raised = alerts.stream().filter(a -> !a.getLastSeen().isBefore(ANCHOR.minus(Duration.ofHours(1))))
            .map(Alert::getRuleId).collect(Collectors.toCollection(TreeSet::new));
        List<String> missing = INTENDED.stream().filter(r -> !raised.contains(r)).toList();
        assertTrue(missing.isEmpty(), "missing " + missing + " in " + raised);
        // issue #13: the pivot's first role is corroborated by the attacker's new network and client, so it stays an alert
        Alert pivot = alerts.stream().filter(a -> a.getRuleId().equals("TH-BL-004")
            && !a.getLastSeen().isBefore(ANCHOR.minus(Duration.ofHours(1)))).findFirst().orElseThrow();
        assertEquals(Severity.MEDIUM, pivot.getSeverity(), pivot.getBaselineContext());
        Alert stopLogging = alerts.stream().filter(a -> a.getRuleId().equals("TH-CT-001")).findFirst().orElseThrow();
        List<String> chain = stopLogging.getChain().stream().map(ChainLink::getPrincipalArn).toList();
        assertEquals(List.of(sample.leakedUserArn(), "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole"), chain);
        Set<String> findingTypes = alerts.stream().flatMap(a -> a.getFindingTypes().stream()).collect(Collectors.toSet());
        assertTrue(findingTypes.containsAll(Set.of("CryptoCurrency:EC2/BitcoinTool.B!DNS",
            "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS")), findingTypes.toString());
    }

    @Test
    void shouldWriteTheSameBytesForTheSameSeedAndAnchor() throws Exception {
        SampleData one = SampleData.generate(7L, ANCHOR);
        SampleData two = SampleData.generate(7L, ANCHOR);
        List<Path> a = TrailFiles.write(dir.resolve("a"), one.allEvents(), TrailFiles.DAILY);
        List<Path> b = TrailFiles.write(dir.resolve("b"), two.allEvents(), TrailFiles.DAILY);

        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(dir.resolve("a").relativize(a.get(i)), dir.resolve("b").relativize(b.get(i)));
            assertArrayEquals(Files.readAllBytes(a.get(i)), Files.readAllBytes(b.get(i)));
        }
        assertTrue(a.get(0).toString().matches(".*/AWSLogs/o-a1b2c3d4e5/\\d{12}/CloudTrail/[a-z0-9-]+/\\d{4}/\\d{2}/\\d{2}/"
            + "\\d{12}_CloudTrail_[a-z0-9-]+_\\d{8}T\\d{4}Z_[0-9A-F]{16}\\.json\\.gz"), a.get(0).toString());
    }

    private static List<byte[]> bytes(List<SampleEvent> events) {
        List<byte[]> out = new ArrayList<>();
        for (SampleEvent e : events) {
            try {
                out.add(JSON.writeValueAsBytes(e.json()));
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }
        return out;
    }
}
