package io.trailhound.respond.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Entities;
import io.trailhound.respond.TestAlerts;

class RunbookSelectorTest {

    private final RunbookSelector selector = RunbookSelector.defaults(RunbookSettings.defaults());

    @Test
    void shouldPreferTheAlertsOwnRunbookField() {
        Alert alert = TestAlerts.iamUser().setRunbook("ec2-compromise").build();
        assertEquals(Ec2Compromise.ID, selector.select(alert).orElseThrow().id());
    }

    @Test
    void shouldMapGuardDutyFindingTypesToRunbooks() {
        assertEquals(IamUserCompromise.ID, selector.select(TestAlerts.iamUser().build()).orElseThrow().id());
        assertEquals(Ec2Compromise.ID, selector.select(TestAlerts.instance("i-0123456789abcdef0").build()).orElseThrow().id());
        Alert exfiltration = TestAlerts.roleSession("arn:aws:iam::111122223333:role/app", "i-0123456789abcdef0")
            .setRuleId("UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS").build();
        assertEquals(RoleSessionCompromise.ID, selector.select(exfiltration).orElseThrow().id());
    }

    @Test
    void shouldMatchFindingTypesListedInTheEntitiesWhenTheRuleIdIsOurs() {
        Alert correlated = TestAlerts.instance("i-0123456789abcdef0").setRuleId("TH-CORR-001").build();
        assertEquals(Ec2Compromise.ID, selector.select(correlated).orElseThrow().id());
    }

    @Test
    void shouldPickUserOrRoleRunbookForCredentialCompromiseByPrincipalType() {
        Alert role = TestAlerts.roleSession("arn:aws:iam::111122223333:role/app", "build").build();
        assertEquals(RoleSessionCompromise.ID, selector.select(role).orElseThrow().id());
        Alert user = TestAlerts.iamUser().setRuleId("TH-IAM-001").setRunbook("credential-compromise").build();
        assertEquals(IamUserCompromise.ID, selector.select(user).orElseThrow().id());
    }

    @Test
    void shouldResolveTheRunbookNamesTheDetectionRulesUse() {
        Alert role = TestAlerts.roleSession("arn:aws:iam::111122223333:role/app", "build").setRunbook("iam-role-compromise").build();
        assertEquals(RoleSessionCompromise.ID, selector.select(role).orElseThrow().id());
        Alert tamperingByUser = TestAlerts.iamUser().setRuleId("TH-CT-001").setRunbook("cloudtrail-tampering").build();
        assertEquals(IamUserCompromise.ID, selector.select(tamperingByUser).orElseThrow().id());
        Alert tamperingByRole = TestAlerts.roleSession("arn:aws:iam::111122223333:role/app", "x").setRunbook("logging-tampering").build();
        assertEquals(RoleSessionCompromise.ID, selector.select(tamperingByRole).orElseThrow().id());
        assertEquals(DataExfiltration.ID, selector.select(TestAlerts.iamUser().setRunbook("data-exposure").build()).orElseThrow().id());
        assertTrue(selector.select(TestAlerts.iamUser().setRunbook("network-exposure").build()).isEmpty(), "no runbook yet");
    }

    @Test
    void shouldSelectNothingForUnknownRulesOrRunbookIds() {
        Alert unknownRule = TestAlerts.iamUser().setRuleId("Recon:IAMUser/UserPermissions")
            .setEntities(Entities.newBuilder().build()).build();
        assertTrue(selector.select(unknownRule).isEmpty());
        assertTrue(selector.select(TestAlerts.iamUser().setRunbook("wipe-everything").build()).isEmpty());
    }

    @Test
    void shouldHonourAConfiguredMappingInOrder() {
        RunbookSelector custom = new RunbookSelector(RunbookSelector.builtIn(RunbookSettings.defaults()),
            List.of("TH-IAM-*=iam-user-compromise", "*=ec2-compromise"));
        Alert alert = TestAlerts.instance("i-0123456789abcdef0").setRuleId("TH-IAM-007")
            .setEntities(Entities.newBuilder().setOther(Map.of()).build()).build();
        assertEquals(IamUserCompromise.ID, custom.select(alert).orElseThrow().id());
    }

    @Test
    void shouldRejectAMappingToAnUnknownRunbook() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new RunbookSelector(RunbookSelector.builtIn(RunbookSettings.defaults()), List.of("Backdoor:*=nuke")));
        assertTrue(e.getMessage().contains("nuke"), e.getMessage());
    }
}
