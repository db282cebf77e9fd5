package io.trailhound.detect.scan;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Severity;
import io.trailhound.detect.rules.RuleCatalog;

/**
 * Issue 4 acceptance on the OTRF capture in {@code timelines/attack_timelines.jsonl} (OTRF Security-Datasets, MIT): EC2
 * instance-profile credentials stolen through SSRF and used from outside AWS raise alerts naming the instance role and the
 * foreign user agent, and the benign administrator activity mixed in raises nothing above LOW.
 */
class AttackTimelinesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String OTRF = "otrf-SDAWS-200914011940-ec2-proxy-s3-exfil";
    private static final String INSTANCE_ROLE = "arn:aws:iam::123456789123:role/MordorNginxStack-BankingWAFRole-9S3E0UAE1MM0";

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 3})
    void shouldFlagStolenInstanceCredentialsAndStayQuietOnBenignActivity(int threads) throws IOException {
        List<byte[]> records = new ArrayList<>();
        Set<String> malicious = new HashSet<>();
        Set<String> benign = new HashSet<>();
        for (String line : Files.readAllLines(Path.of("src/test/resources/timelines/attack_timelines.jsonl"), StandardCharsets.UTF_8)) {
            JsonNode row = MAPPER.readTree(line);
            if (!OTRF.equals(row.path("scenario").asText())) {
                continue;
            }
            records.add(MAPPER.writeValueAsBytes(row.path("event")));
            (row.path("malicious").asBoolean() ? malicious : benign).add(row.path("event").path("eventID").asText());
        }
        List<Alert> alerts = new OfflineScan(Map.of(), RuleCatalog.builtIn(), OfflineScan.DEFAULT_LATENESS, threads).run(records)
                .alerts();

        Alert stolen = alerts.stream()
                .filter(a -> a.getSeverity().ordinal() >= Severity.MEDIUM.ordinal())
                .filter(a -> a.getEventIds().stream().anyMatch(malicious::contains))
                .findFirst().orElseThrow(() -> new AssertionError("no MEDIUM+ alert on the stolen credentials: " + alerts));
        assertTrue(INSTANCE_ROLE.equals(stolen.getPrincipal().getArn()), stolen.getPrincipal().getArn());
        assertTrue(stolen.getEvidence().contains("aws-cli/1.18.136"), stolen.getEvidence());
        assertTrue(stolen.getPrincipal().getSessionName().startsWith("i-"), "the session is the instance's");

        for (Alert a : alerts) {
            boolean onlyBenign = a.getEventIds().stream().allMatch(benign::contains);
            assertFalse(onlyBenign && a.getSeverity().ordinal() > Severity.LOW.ordinal(),
                    "benign activity raised " + a.getRuleId() + " at " + a.getSeverity());
        }
    }
}
