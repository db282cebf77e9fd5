package io.trailhound.respond.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Entities;
import io.trailhound.respond.TestAlerts;

class DataExfiltrationTest {

    @Test
    void shouldBlockPublicAccessUnshareAndContainTheActor() {
        Alert alert = TestAlerts.iamUser().setRuleId("AttackSequence:S3/CompromisedData").setEntities(Entities.newBuilder()
            .setBuckets(List.of("customer-data")).setUserNames(List.of("mallory"))
            .setSnapshotIds(List.of("snap-0abc")).setImageIds(List.of("ami-0def")).build()).build();
        assertEquals(DataExfiltration.ID, RunbookSelector.defaults(RunbookSettings.defaults()).select(alert).orElseThrow().id());
        List<Step> steps = new DataExfiltration(RunbookSettings.defaults()).plan(alert, TestAlerts.NOW);
        List<String> actions = steps.stream().map(s -> s.action().id()).toList();
        assertEquals("s3:GetBucketPolicy", actions.get(0));
        assertTrue(actions.indexOf("s3:PutBucketPublicAccessBlock") < actions.indexOf("iam:UpdateAccessKey"), actions.toString());
        assertTrue(actions.containsAll(List.of("ec2:ModifySnapshotAttribute", "ec2:ModifyImageAttribute", "iam:PutUserPolicy")));
        Step block = steps.get(actions.indexOf("s3:PutBucketPublicAccessBlock"));
        assertEquals("arn:aws:s3:::customer-data", block.resource());
        assertEquals("true", block.parameters().get("RestrictPublicBuckets"));
        assertEquals("remove", steps.get(actions.indexOf("ec2:ModifySnapshotAttribute")).parameters().get("OperationType"));
        Step revert = steps.get(actions.indexOf("s3:PutBucketPolicy"));
        assertTrue(revert.requiresApproval() && steps.get(actions.indexOf("s3:PutBucketAcl")).requiresApproval(),
            "policy and ACL reverts wait for approval");
        assertTrue(actions.indexOf("s3:PutBucketPolicy") > actions.indexOf("iam:UpdateAccessKey"), actions.toString());
        assertEquals(null, revert.parameters().get("PriorPolicy"), "no prior policy in the evidence: foreign statements removed");
        assertTrue(!actions.contains(AwsAction.TRAILHOUND_ESCALATE_TO_HUMAN.id()), actions.toString());
        assertEquals(Phase.NOTIFY, steps.get(steps.size() - 1).phase());
        assertEquals(steps.size(), steps.stream().map(s -> s.action() + s.resource() + s.name()).distinct().count());
    }

    @Test
    void shouldPutBackThePriorPolicyTheEvidenceCarries() {
        String prior = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
        Alert alert = TestAlerts.iamUser().setRuleId("Exfiltration:S3/AnomalousBehavior")
            .setEvidence("{\"eventName\":\"PutBucketPolicy\",\"priorBucketPolicy\":" + prior + "}")
            .setEntities(Entities.newBuilder().setBuckets(List.of("customer-data")).build()).build();
        List<Step> steps = new DataExfiltration(RunbookSettings.defaults()).plan(alert, TestAlerts.NOW);
        Step revert = steps.stream().filter(s -> s.action() == AwsAction.S3_PUT_BUCKET_POLICY).findFirst().orElseThrow();
        assertEquals(prior, revert.parameters().get("PriorPolicy"));
    }
}
