package io.trailhound.respond.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.runbook.GlobPattern;

/** What the member role's policy guards, from the configuration, and how the derived statements use it (#19). */
class MemberRoleGuardsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ResponderConfig config(Map<String, String> props) {
        return new ResponderConfig(props);
    }

    @Test
    void shouldGuardItselfTheHubProtectedPrincipalsAndTheTrailhoundPath() {
        MemberRoleGuards guards = MemberRoleGuards.of(config(Map.of(ResponderConfig.IDENTITY_ARN_CONFIG,
            "arn:aws:iam::111122223333:role/trailhound-responder", ResponderConfig.PROTECTED_ARNS_CONFIG,
            "arn:aws:iam::*:role/BreakGlass*,arn:aws:sts::*:assumed-role/BreakGlass/*,arn:aws:s3:::secrets")));
        assertEquals(List.of("arn:aws:iam::*:role/TrailhoundResponder", "arn:aws:iam::*:role/*/TrailhoundResponder",
            "arn:aws:iam::111122223333:role/trailhound-responder", "arn:aws:iam::*:role/BreakGlass*",
            "arn:aws:iam::*:role/trailhound/*", "arn:aws:iam::*:user/trailhound/*", "arn:aws:iam::*:policy/trailhound/*"),
            guards.protectedIamResources(), "session and bucket ARNs are no IAM resources");
        assertEquals(Map.of("trailhound:protected", "true"), guards.protectedTags());
        assertTrue(new GlobPattern(guards.boundaryPolicyArn()).matches("arn:aws:iam::444455556666:policy/trailhound/"
            + MemberRoleGuards.BOUNDARY_POLICY_NAME));
    }

    @Test
    void shouldUseThePartitionAndRoleNameConfigured() {
        MemberRoleGuards guards = MemberRoleGuards.of(config(Map.of(ResponderConfig.PARTITION_CONFIG, "aws-us-gov",
            ResponderConfig.ROLE_NAME_CONFIG, "IrRole")));
        assertEquals("arn:aws-us-gov:iam::*:role/IrRole", guards.protectedIamResources().get(0));
        assertFalse(guards.protectedIamResources().stream().anyMatch(r -> r.startsWith("arn:aws:")),
            guards.protectedIamResources().toString());
    }

    @Test
    void shouldShareSnapshotsAndRunCommandsOnlyWhenConfigured() throws Exception {
        ResponderConfig none = config(Map.of());
        ResponderConfig all = config(Map.of(ResponderConfig.FORENSIC_ACCOUNT_CONFIG, "999900001111",
            ResponderConfig.MEMORY_CAPTURE_DOCUMENT_CONFIG, "LiME-Capture"));
        JsonNode without = policy(none);
        JsonNode with = policy(all);
        assertTrue(sids(without).stream()
            .noneMatch(s -> s.startsWith("ShareIncidentSnapshots") || s.equals("OnlyTheMemoryCaptureDocument")), sids(without).toString());
        JsonNode share = statement(with, "ShareIncidentSnapshotsWithTheForensicAccountOnly");
        assertEquals("999900001111", share.at("/Condition/StringEquals/ec2:Add~1userId").asText());
        assertEquals("false", share.at("/Condition/Null/aws:ResourceTag~1trailhound:incident").asText());
        assertEquals("arn:aws:ssm:*:*:document/LiME-Capture", statement(with, "OnlyTheMemoryCaptureDocument").at("/Resource/1").asText());
        StepExecutors executors = StepExecutors.standard(all.runbookSettings(), all.protectedInstanceTags());
        assertEquals(JSON.readTree(ResponderPolicy.targetAccountRole(executors, MemberRoleGuards.of(all))),
            JSON.readTree(ResponderPolicy.targetAccountBoundary(executors, MemberRoleGuards.of(all))), "the boundary is the same ceiling");
    }

    @Test
    void shouldNeverDenyWhatTheExecutorsCall() throws Exception {
        ResponderConfig all = config(Map.of(ResponderConfig.FORENSIC_ACCOUNT_CONFIG, "999900001111",
            ResponderConfig.MEMORY_CAPTURE_DOCUMENT_CONFIG, "LiME-Capture", ResponderConfig.QUARANTINE_PROFILE_CONFIG,
            "arn:aws:iam::111122223333:instance-profile/quarantine", ResponderConfig.TERMINATE_CONFIG, "true"));
        StepExecutors executors = StepExecutors.standard(all.runbookSettings(), all.protectedInstanceTags());
        JsonNode escalate = statement(policy(all), "NeverEscalate");
        List<String> denied = new ArrayList<>();
        escalate.get("Action").forEach(a -> denied.add(a.asText()));
        assertTrue(denied.contains("sts:AssumeRole") && denied.contains("iam:Attach*"), denied.toString());
        for (String action : executors.awsActions()) {
            assertTrue(denied.stream().noneMatch(d -> new GlobPattern(d).matches(action)), action + " is denied outright");
        }
    }

    private static JsonNode policy(ResponderConfig config) throws Exception {
        StepExecutors executors = StepExecutors.standard(config.runbookSettings(), config.protectedInstanceTags());
        return JSON.readTree(ResponderPolicy.targetAccountRole(executors, MemberRoleGuards.of(config)));
    }

    private static List<String> sids(JsonNode policy) {
        List<String> sids = new ArrayList<>();
        policy.get("Statement").forEach(s -> sids.add(s.get("Sid").asText()));
        return sids;
    }

    private static JsonNode statement(JsonNode policy, String sid) {
        for (JsonNode s : policy.get("Statement")) {
            if (sid.equals(s.get("Sid").asText())) {
                return s;
            }
        }
        throw new AssertionError("no statement " + sid + " in " + sids(policy));
    }
}
