package io.trailhound.respond.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

import io.trailhound.avro.AccessSummary;
import io.trailhound.avro.Alert;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.Entities;
import io.trailhound.avro.Mode;
import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;
import io.trailhound.avro.RuleKind;
import io.trailhound.avro.Severity;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.TestAlerts;
import io.trailhound.respond.alert.AlertJson;
import io.trailhound.respond.runbook.AwsAction;
import io.trailhound.respond.runbook.Ec2Compromise;
import io.trailhound.respond.incident.ChainContainment;
import io.trailhound.respond.runbook.IncidentIds;
import io.trailhound.respond.runbook.RoleSessionCompromise;
import io.trailhound.serde.AvroJson;

/**
 * #14: the same LIVE alerts planned the way the live responder plans them (the Avro alert as its consumer decodes it) and the
 * way {@code trailhound scan ... | trailhound plan} does (the scan's JSON line, {@link AvroJson}, read back by
 * {@link PlanLines}) give the same alerts and the same steps: action, resource, order, approval, skipped reason.
 */
class OfflineLivePlanTest {

    private static final String ACCOUNT = TestAlerts.ACCOUNT;
    private static final String CRYPTO_INSTANCE = "i-0123456789abcdef0";
    private static final String CREDENTIAL_INSTANCE = "i-0fedcba9876543210";

    @Test
    void shouldReadBackEveryAlertAsTheLiveConsumerDecodesIt() {
        for (Alert alert : alerts()) {
            Alert live = decodedFromKafka(alert);
            Alert offline = AlertJson.parse(AvroJson.write(alert));
            assertEquals(alert, live);
            assertEquals(alert, offline, AvroJson.write(alert));
        }
    }

    @Test
    void shouldPlanTheSameStepsOfflineAsLive() throws IOException {
        List<Alert> alerts = alerts();
        ResponsePlanner livePlanner = planner();
        List<PlannedStep> live = new ArrayList<>();
        alerts.forEach(alert -> live.addAll(livePlanner.plan(decodedFromKafka(alert), TestAlerts.NOW)));

        ResponsePlanner offlinePlanner = planner();
        List<PlannedStep> offline = new ArrayList<>();
        alerts.forEach(alert -> offline.addAll(offlinePlanner.plan(AlertJson.parse(AvroJson.write(alert)), TestAlerts.NOW)));
        assertEquals(live, offline);

        // what the live responder does: by incident, a step its ledger already holds is not taken again (#14)
        Map<String, List<Alert>> byIncident = new LinkedHashMap<>();
        alerts.forEach(alert -> byIncident.computeIfAbsent(IncidentIds.of(alert), id -> new ArrayList<>()).add(alert));
        ResponsePlanner ledgered = planner();
        Set<String> ledger = new HashSet<>();
        List<PlannedStep> responded = new ArrayList<>();
        byIncident.values().forEach(incident -> incident.forEach(alert -> ledgered.plan(decodedFromKafka(alert), TestAlerts.NOW,
            ledger::contains).stream().filter(step -> ledger.add(step.actionId())).forEach(responded::add)));

        String lines = alerts.stream().map(AvroJson::write).collect(Collectors.joining("\n"));
        StringWriter out = new StringWriter();
        PlanLines.Summary summary = new PlanLines(planner()).run(new BufferedReader(new StringReader(lines)), new PrintWriter(out),
            new PrintWriter(new StringWriter()), TestAlerts.NOW);
        assertEquals(new PlanLines.Summary(alerts.size(), responded.size(), 0), summary);
        assertEquals(responded.stream().map(step -> PlanJson.line(step, true)).toList(), out.toString().lines().toList());

        assertTrue(live.stream().anyMatch(step -> step.approvalReason() != null), "the comparison covers approvals");
        assertTrue(live.stream().anyMatch(step -> step.skippedReason() != null), "and skipped steps");
        assertTrue(live.stream().anyMatch(step -> step.step().name().equals(ChainContainment.REACHABLE_ADMIN_STEP)
            && step.requiresApproval()), "and the reachable administrator role's approval step (#15)");
    }

    @Test
    void shouldChooseTheCryptominingRunbookByFindingTypeOfflineAndLive() {
        Alert crypto = cryptoFinding();
        for (Alert read : List.of(decodedFromKafka(crypto), AlertJson.parse(AvroJson.write(crypto)))) {
            List<PlannedStep> plan = planner().plan(read, TestAlerts.NOW);
            assertFalse(plan.isEmpty());
            assertTrue(plan.stream().allMatch(step -> step.runbook().equals(Ec2Compromise.ID)), plan.toString());
            assertTrue(plan.stream().anyMatch(step -> step.step().resource().endsWith("instance/" + CRYPTO_INSTANCE)), plan.toString());
            assertTrue(plan.stream().filter(step -> step.step().resource().contains(CRYPTO_INSTANCE))
                .allMatch(step -> step.region().equals("us-west-2")), "the instance's own region");
        }
    }

    @Test
    void shouldContainTheInstanceOfAnInstanceCredentialFinding() {
        // #14: the stream processor puts the instance from the role session into entities.instanceIds
        Alert exfiltration = instanceCredentialFinding();
        for (Alert read : List.of(decodedFromKafka(exfiltration), AlertJson.parse(AvroJson.write(exfiltration)))) {
            List<PlannedStep> plan = planner().plan(read, TestAlerts.NOW);
            // the session's role is the incident's whole chain here: contained chain-wide, the role runbook notifies
            assertTrue(plan.stream().allMatch(step -> step.runbook().equals(RoleSessionCompromise.ID)
                || step.runbook().equals(ChainContainment.ID)), plan.toString());
            String instanceArn = "arn:aws:ec2:us-east-1:" + ACCOUNT + ":instance/" + CREDENTIAL_INSTANCE;
            PlannedStep deny = plan.stream().filter(step -> step.step().name().equals("deny-instance-credentials")).findFirst()
                .orElseThrow(() -> new AssertionError(plan.toString()));
            assertEquals("arn:aws:iam::" + ACCOUNT + ":role/WebRole", deny.step().resource());
            assertEquals(instanceArn, deny.step().parameters().get("SourceInstanceArn"));
            assertTrue(plan.stream().anyMatch(step -> step.step().action() == AwsAction.EC2_DESCRIBE_IAM_INSTANCE_PROFILE_ASSOCIATIONS
                && step.step().resource().equals(instanceArn)), plan.toString());
            assertTrue(plan.stream().noneMatch(step -> step.step().name().equals("revoke-older-sessions")),
                "only this instance's credentials, not every session of the role");
        }
    }

    private static ResponsePlanner planner() {
        return ResponsePlanner.from(new ResponderConfig(Map.of()));
    }

    /** LIVE alerts of several kinds, with every field the responder reads and some it does not. */
    private static List<Alert> alerts() {
        Alert user = TestAlerts.iamUser().setAlertId("a-user").setDedupKey("TH-IAM-003|mallory").setRuleId("TH-IAM-003")
            .setRuleKind(RuleKind.SIGNATURE).setTitle("Access key created for another user").setDescription("why it matters")
            .setSeverity(Severity.HIGH).setMitreTactic("Persistence (TA0003)").setMitreTechniqueId("T1098.001")
            .setMitreTechniqueName("Account Manipulation: Additional Cloud Credentials").setRunbook("iam-user-compromise")
            .setChain(List.of(link("arn:aws:iam::" + ACCOUNT + ":user/mallory", null))).setEventIds(List.of("e-1", "e-2"))
            .setEvidence("CreateAccessKey userName=bob").setBaselineContext("first time in 43 days of history").setCount(3).build();
        Alert role = TestAlerts.roleSession("arn:aws:iam::" + ACCOUNT + ":role/app-role", "deploy").setAlertId("a-role")
            .setRuleId("TH-CT-001").setSeverity(Severity.CRITICAL).setRunbook("cloudtrail-tampering")
            .setChain(List.of(link("arn:aws:iam::" + ACCOUNT + ":user/mallory", null),
                link("arn:aws:iam::" + ACCOUNT + ":role/app-role", TestAlerts.NOW.minusSeconds(600))))
            // #15: its access summary lists an administrator role in another account (an approval step, live and offline)
            .setAccessSummary(AccessSummary.newBuilder().setPrincipalArn("arn:aws:iam::" + ACCOUNT + ":role/app-role")
                .setAdminEquivalent(true).setAdminConfidence("DEFINITE").setReachableAccounts(List.of(ACCOUNT, "222233334444"))
                .setReachableAccountCount(1).setRiskScore(70)
                .setTopAdminRoles(List.of("arn:aws:iam::222233334444:role/OrganizationAccountAccessRole"))
                .setSnapshotEpoch(TestAlerts.NOW.minusSeconds(3600)).build())
            .build();
        Alert replayed = Alert.newBuilder(user).setAlertId("a-replayed").setMode(Mode.REPLAY).build();
        return List.of(user, role, cryptoFinding(), instanceCredentialFinding(), replayed);
    }

    /** A GuardDuty alert as the stream processor raises it: no runbook named, only the finding type says which applies. */
    private static Alert cryptoFinding() {
        return guardDuty("a-crypto", "CryptoCurrency:EC2/BitcoinTool.B!DNS")
            .setEntities(Entities.newBuilder().setInstanceIds(List.of(CRYPTO_INSTANCE))
                .setInstanceRegions(Map.of(CRYPTO_INSTANCE, "us-west-2")).setIpAddresses(List.of("198.51.100.23")).build())
            .build();
    }

    /** An instance-credential exfiltration finding's alert: the instance known only from the role session name. */
    private static Alert instanceCredentialFinding() {
        String roleArn = "arn:aws:iam::" + ACCOUNT + ":role/WebRole";
        return guardDuty("a-exfiltration", "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS")
            .setPrincipal(Principal.newBuilder().setType(PrincipalType.AssumedRole).setPrincipalKey(ACCOUNT + "/" + roleArn)
                .setArn(roleArn).setAccountId(ACCOUNT).setPrincipalId("AROAWEBROLE:" + CREDENTIAL_INSTANCE).setUserName("WebRole")
                .setSessionName(CREDENTIAL_INSTANCE).setAccessKeyId("ASIAEXFILTRATED1").build())
            .setChain(List.of(ChainLink.newBuilder().setPrincipalArn(roleArn).setAccountId(ACCOUNT)
                .setAccessKeyId("ASIAEXFILTRATED1").build()))
            .setEntities(Entities.newBuilder().setInstanceIds(List.of(CREDENTIAL_INSTANCE)).setAccessKeyIds(List.of("ASIAEXFILTRATED1"))
                .setUserNames(List.of("WebRole")).setIpAddresses(List.of("198.51.100.23")).build())
            .build();
    }

    private static Alert.Builder guardDuty(String alertId, String findingType) {
        Instant updated = TestAlerts.NOW.minusSeconds(90);
        return Alert.newBuilder().setAlertId(alertId).setDedupKey("TH-GD-001|f-" + alertId).setRuleId("TH-GD-001")
            .setRuleKind(RuleKind.CORRELATION).setTitle("GuardDuty finding: " + findingType).setSeverity(Severity.HIGH)
            .setFindingTypes(List.of(findingType)).setFindingIds(List.of("f-" + alertId)).setEvidence(findingType + " count=1")
            .setAccountId(ACCOUNT).setRegion("us-east-1").setIncidentId("inc-" + alertId).setFirstSeen(updated)
            .setLastSeen(updated).setDetectedAt(updated).setMode(Mode.LIVE);
    }

    private static ChainLink link(String arn, Instant mintedAt) {
        return ChainLink.newBuilder().setPrincipalArn(arn).setAccountId(ACCOUNT).setMintedAt(mintedAt)
            .setMintedByEventName(mintedAt == null ? null : "AssumeRole").build();
    }

    /** The alert as the live responder's consumer gets it: Avro binary (the serde adds only the registry's schema id). */
    private static Alert decodedFromKafka(Alert alert) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
            new SpecificDatumWriter<>(Alert.class).write(alert, encoder);
            encoder.flush();
            return new SpecificDatumReader<>(Alert.class).read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
