package io.trailhound.respond.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.trailhound.avro.Entities;
import io.trailhound.respond.TestAlerts;

class Ec2CompromiseTest {

    private static final String I1 = "i-0123456789abcdef0";
    private static final String I2 = "i-0fedcba9876543210";

    @Test
    void shouldPreserveEvidenceOfEveryInstanceBeforeAnyContainment() {
        List<Step> steps = new Ec2Compromise(RunbookSettings.defaults()).plan(TestAlerts.instance(I1, I2).build(), TestAlerts.NOW);
        int lastEvidence = lastIndexOf(steps, Phase.EVIDENCE);
        int firstContainment = steps.indexOf(steps.stream().filter(s -> s.phase() == Phase.CONTAINMENT).findFirst().orElseThrow());
        assertTrue(lastEvidence < firstContainment, "evidence of both instances before any containment");
        assertEquals(2, steps.stream().filter(s -> s.action() == AwsAction.EC2_CREATE_SNAPSHOTS).count());
        assertEquals("s3://trailhound-evidence/inc-1/" + I1 + "/console-output.txt",
            find(steps, "capture-console-output", I1).parameters().get("EvidenceObject"));
        assertEquals("inc-1", find(steps, "snapshot-volumes", I2).parameters().get("Tag.trailhound:incident"));
    }

    @Test
    void shouldPreserveThenIsolateWithTheAllowAllGroupBeforeTheQuarantineGroup() {
        List<Step> steps = new Ec2Compromise(RunbookSettings.defaults()).plan(TestAlerts.instance(I1).build(), TestAlerts.NOW);
        List<String> names = steps.stream().map(Step::name).toList();
        assertTrue(names.indexOf("enable-termination-protection") < names.indexOf("isolate-allow-all-group"));
        assertTrue(names.indexOf("record-original-security-groups") < names.indexOf("isolate-allow-all-group"));
        assertTrue(names.indexOf("isolate-allow-all-group") < names.indexOf("isolate-quarantine-group"));
        assertEquals("trailhound-isolation-allow-all", find(steps, "isolate-allow-all-group", I1).parameters().get("GroupName"));
        assertEquals("trailhound-quarantine", find(steps, "isolate-quarantine-group", I1).parameters().get("GroupName"));
        assertEquals("stop", find(steps, "shutdown-behaviour-stop", I1).parameters().get("InstanceInitiatedShutdownBehavior"));
        assertEquals("false", find(steps, "keep-volumes-on-termination", I1).parameters().get("DeleteOnTermination"));
    }

    @Test
    void shouldRemoveFromServiceOnlyAfterApprovalAndNeverTerminateByDefault() {
        List<Step> steps = new Ec2Compromise(RunbookSettings.defaults()).plan(TestAlerts.instance(I1).build(), TestAlerts.NOW);
        assertTrue(find(steps, "detach-from-auto-scaling-groups", I1).requiresApproval());
        assertTrue(find(steps, "deregister-from-load-balancers", I1).requiresApproval());
        assertFalse(find(steps, "isolate-quarantine-group", I1).requiresApproval());
        assertTrue(steps.stream().noneMatch(s -> s.action() == AwsAction.EC2_TERMINATE_INSTANCES));

        RunbookSettings terminate = new RunbookSettings("ev", "allow", "quarantine", true, "", true);
        Step termination = new Ec2Compromise(terminate).plan(TestAlerts.instance(I1).build(), TestAlerts.NOW).stream()
            .filter(s -> s.action() == AwsAction.EC2_TERMINATE_INSTANCES).findFirst().orElseThrow();
        assertTrue(termination.destructive() && termination.requiresApproval());
    }

    @Test
    void shouldDenyTheInstanceRoleForThisInstanceWhenTheAlertNamesTheRole() {
        List<Step> steps = new Ec2Compromise(RunbookSettings.defaults()).plan(TestAlerts.instance(I1)
            .setEntities(Entities.newBuilder().setInstanceIds(List.of(I1))
                .setRoleArns(List.of("arn:aws:iam::111122223333:role/web")).build()).build(), TestAlerts.NOW);
        Step deny = find(steps, "deny-instance-credentials", "role/web");
        assertTrue(deny.parameters().get("PolicyDocument").contains("instance/" + I1));
    }

    @Test
    void shouldEscalateWhenNoInstanceIsNamed() {
        List<Step> steps = new Ec2Compromise(RunbookSettings.defaults()).plan(TestAlerts.instance().build(), TestAlerts.NOW);
        assertEquals(List.of(AwsAction.TRAILHOUND_ESCALATE_TO_HUMAN), steps.stream().map(Step::action).toList());
    }

    private static Step find(List<Step> steps, String name, String resourcePart) {
        return steps.stream().filter(s -> s.name().equals(name) && s.resource().contains(resourcePart)).findFirst().orElseThrow();
    }

    private static int lastIndexOf(List<Step> steps, Phase phase) {
        int last = -1;
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).phase() == phase) {
                last = i;
            }
        }
        return last;
    }
}
