package io.trailhound.respond.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.trailhound.avro.Alert;
import io.trailhound.respond.TestAlerts;

class UnauthorizedResourceCreationTest {

    @Test
    void shouldStopLaunchedInstancesAndTerminateOnlyAfterApproval() {
        Alert alert = TestAlerts.instance("i-0123456789abcdef0").setRunbook(UnauthorizedResourceCreation.ID).build();
        List<Step> steps = new UnauthorizedResourceCreation(RunbookSettings.defaults()).plan(alert, TestAlerts.NOW);
        assertEquals(List.of("ec2:CreateTags", "ec2:StopInstances", "ec2:TerminateInstances", "trailhound:RecordOnly"),
            steps.stream().map(s -> s.action().id()).toList());
        assertTrue(steps.get(2).destructive() && steps.get(2).requiresApproval());
        assertFalse(steps.get(1).requiresApproval());
    }
}
