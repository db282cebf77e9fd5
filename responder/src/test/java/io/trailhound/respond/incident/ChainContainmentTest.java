package io.trailhound.respond.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.trailhound.avro.Alert;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.Entities;
import io.trailhound.avro.Mode;
import io.trailhound.avro.RuleKind;
import io.trailhound.avro.Severity;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.TestAlerts;
import io.trailhound.respond.plan.PlannedStep;
import io.trailhound.respond.plan.ResponsePlanner;

/** Issue #14: an incident's whole identity chain is contained, root credential first, once per incident, growing with it. */
class ChainContainmentTest {

    private static final String DANA = "arn:aws:iam::111122223333:user/dana";
    private static final String OAAR = "arn:aws:iam::222233334444:role/OrganizationAccountAccessRole";
    private static final String DEPLOY = "arn:aws:iam::333344445555:role/Deploy";

    @Test
    void shouldContainTheChainRootsKeyBeforeTheAssumedRoleOnceTheIncidentIsHigh() {
        ResponsePlanner planner = planner(Map.of());
        List<PlannedStep> medium = planner.plan(roleAlert("a1", Severity.MEDIUM, link(DANA, "AKIADANA"), link(OAAR, "ASIA1")).build(),
            TestAlerts.NOW);
        assertTrue(medium.stream().noneMatch(s -> s.runbook().equals(ChainContainment.ID)), "below HIGH: no chain-wide plan");

        List<PlannedStep> high = planner.plan(roleAlert("a2", Severity.HIGH, link(DANA, "AKIADANA"), link(OAAR, "ASIA1")).build(),
            TestAlerts.NOW);
        List<PlannedStep> chain = high.stream().filter(s -> s.runbook().equals(ChainContainment.ID)).toList();
        List<String> actions = chain.stream().map(s -> s.step().action().id() + " " + s.step().resource()).toList();
        int key = actions.indexOf("iam:UpdateAccessKey " + DANA);
        int tokens = actions.indexOf("iam:PutUserPolicy " + DANA);
        int login = actions.indexOf("iam:DeleteLoginProfile " + DANA);
        int role = actions.indexOf("iam:PutRolePolicy " + OAAR);
        assertTrue(key >= 0 && tokens >= 0 && login >= 0 && role >= 0, actions.toString());
        assertTrue(key < role && tokens < role, "root credential first: " + actions);
        PlannedStep roleStep = chain.get(role);
        assertEquals("222233334444", roleStep.accountId(), "each link in its own account");
        assertEquals("revoke-older-sessions", roleStep.step().name());
        PlannedStep keyStep = chain.get(key);
        assertEquals("111122223333", keyStep.accountId());
        assertFalse(keyStep.requiresApproval(), "deactivating a key is reversible: automatic as before");
    }

    @Test
    void shouldContainEachCredentialOncePerIncidentAndGrowWithTheChain() {
        ResponsePlanner planner = planner(Map.of());
        Set<String> ledger = new HashSet<>();
        List<PlannedStep> taken = new ArrayList<>();
        respond(planner, roleAlert("b1", Severity.HIGH, link(DANA, "AKIADANA"), link(OAAR, "ASIA1")).build(), ledger, taken);
        int first = taken.size();
        respond(planner, roleAlert("b2", Severity.HIGH, link(DANA, "AKIADANA"), link(OAAR, "ASIA1")).build(), ledger, taken);
        assertEquals(first, taken.size(), "a second alert naming the same chain adds nothing");
        // a MEDIUM alert of the incident that adds a hop into a third account extends containment to it
        respond(planner, roleAlert("b3", Severity.MEDIUM, link(DANA, "AKIADANA"), link(OAAR, "ASIA1"), link(DEPLOY, "ASIA2")).build(),
            ledger, taken);
        List<PlannedStep> added = taken.subList(first, taken.size());
        assertTrue(added.stream().anyMatch(s -> s.step().resource().equals(DEPLOY) && s.accountId().equals("333344445555")),
            added.toString());
        assertTrue(added.stream().noneMatch(s -> s.step().resource().equals(DANA)), "dana was contained already");
    }

    @Test
    void shouldSendRootIdentityCenterAndFederatedRootsToAPerson() {
        String sso = "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef";
        List<PlannedStep> plan = planner(Map.of()).plan(roleAlert("c1", Severity.HIGH, link("arn:aws:iam::111122223333:root", null),
            link(sso, "ASIA3")).setIncidentId("inc-c").build(), TestAlerts.NOW);
        List<PlannedStep> chain = plan.stream().filter(s -> s.runbook().equals(ChainContainment.ID)).toList();
        assertEquals(2, chain.size(), chain.toString());
        assertTrue(chain.stream().allMatch(s -> s.step().name().equals("escalate-to-human")), chain.toString());
        assertTrue(chain.get(0).step().parameters().get("reason").contains("root user"), chain.toString());
        assertTrue(chain.get(1).step().parameters().get("reason").contains("Identity Center"), chain.toString());
        assertTrue(chain.get(1).step().parameters().get("reason").contains("attacker"), "names the Identity Center user");
    }

    /**
     * #18 item 5: a chain rooted at an OIDC subject denies the role's older sessions (automatic), copies its trust policy to
     * the evidence bucket first and narrows it to the subjects it served before only after approval, never keeping the
     * intruding subject; without known subjects, a person is told instead.
     */
    @Test
    void shouldNarrowTheTrustPolicyOfAFederatedRootsRoleAfterApprovalAndDenyItsOlderSessions() {
        String provider = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com";
        String intruder = "repo:evilcorp-labs/payload:ref:refs/heads/main";
        String role = "arn:aws:iam::111111111111:role/github-deploy";
        Alert alert = roleAlert("f1", Severity.HIGH, link(provider + ":" + intruder, null), link(role, "ASIAGH"))
            .setEntities(Entities.newBuilder().setRoleArns(List.of(role)).setOther(Map.of(
                IncidentState.SERVED_SUBJECTS + role, List.of("repo:acme/webapp:ref:refs/heads/main", intruder,
                    "repo:acme/infra:ref:refs/heads/main"))).build()).build();
        List<PlannedStep> chain = planner(Map.of(ResponderConfig.CONTAINMENT_AUTOMATIC_CONFIG, "always")).plan(alert, TestAlerts.NOW)
            .stream().filter(s -> s.runbook().equals(ChainContainment.ID)).toList();
        List<String> names = chain.stream().map(s -> s.step().name()).toList();
        int evidence = names.indexOf("capture-trust-policy");
        int narrow = names.indexOf("narrow-trust-policy");
        int revoke = names.indexOf("revoke-older-sessions");
        assertTrue(evidence >= 0 && narrow > evidence && revoke >= 0, names.toString());
        PlannedStep narrowing = chain.get(narrow);
        assertEquals("iam:UpdateAssumeRolePolicy", narrowing.step().action().id());
        assertEquals(role, narrowing.step().resource());
        assertTrue(narrowing.requiresApproval(), "narrowing a trust policy always waits for a person");
        assertEquals("[\"repo:acme/infra:ref:refs/heads/main\",\"repo:acme/webapp:ref:refs/heads/main\"]",
            narrowing.step().parameters().get("Subjects"), "the subjects served before, never the intruder");
        assertEquals(provider, narrowing.step().parameters().get("Provider"));
        assertEquals("111111111111", narrowing.accountId());
        assertFalse(chain.get(revoke).requiresApproval(), "older sessions are denied at once");
        assertEquals(role, chain.get(revoke).step().resource());
        assertTrue(names.contains("escalate-to-human"), "the identity provider's sessions are a person's job");

        Alert unknown = roleAlert("f2", Severity.HIGH, link(provider + ":" + intruder, null), link(role, "ASIAGH"))
            .setIncidentId("inc-unknown").build();
        List<String> without = planner(Map.of()).plan(unknown, TestAlerts.NOW).stream()
            .filter(s -> s.runbook().equals(ChainContainment.ID)).map(s -> s.step().name()).toList();
        assertFalse(without.contains("narrow-trust-policy"), without.toString());
        assertTrue(without.contains("escalate-to-human") && without.contains("revoke-older-sessions"), without.toString());

        List<PlannedStep> guarded = planner(Map.of(ResponderConfig.PROTECTED_ARNS_CONFIG, role)).plan(Alert.newBuilder(alert)
            .setIncidentId("inc-protected").build(), TestAlerts.NOW).stream()
            .filter(s -> s.step().action().id().equals("iam:UpdateAssumeRolePolicy")).toList();
        assertEquals(1, guarded.size(), guarded.toString());
        assertTrue(guarded.get(0).skipped(), "a protected role's trust policy is never touched: " + guarded);
        assertTrue(planner(Map.of()).plan(Alert.newBuilder(alert).setIncidentId("inc-replay").setMode(Mode.REPLAY).build(),
            TestAlerts.NOW).stream().noneMatch(s -> s.step().action().id().equals("iam:UpdateAssumeRolePolicy")),
            "a replayed alert plans no narrowing");
    }

    @Test
    void shouldPlanNoChainForAReplayedAlertOrWhenTurnedOff() {
        assertTrue(planner(Map.of()).plan(roleAlert("d1", Severity.HIGH, link(DANA, "AKIADANA")).setMode(Mode.REPLAY).build(),
            TestAlerts.NOW).stream().noneMatch(s -> s.runbook().equals(ChainContainment.ID)));
        assertTrue(planner(Map.of(ResponderConfig.INCIDENT_CONTAINMENT_SEVERITY_CONFIG, "OFF"))
            .plan(roleAlert("d2", Severity.CRITICAL, link(DANA, "AKIADANA")).build(), TestAlerts.NOW).stream()
            .noneMatch(s -> s.runbook().equals(ChainContainment.ID)));
    }

    @Test
    void shouldPutAnEarlierRootFirstWhenALaterAlertBringsIt() {
        IncidentStates states = new IncidentStates();
        states.observe(roleAlert("e1", Severity.HIGH, link(OAAR, "ASIA1")).build());
        IncidentState state = states.observe(roleAlert("e2", Severity.MEDIUM, link(DANA, "AKIADANA"), link(OAAR, "ASIA1")).build())
            .orElseThrow();
        assertEquals(List.of(DANA, OAAR), state.chain().stream().map(ChainLink::getPrincipalArn).toList());
        assertEquals(Severity.HIGH, state.severity(), "the incident's highest severity is kept");
    }

    private static void respond(ResponsePlanner planner, Alert alert, Set<String> ledger, List<PlannedStep> taken) {
        planner.plan(alert, TestAlerts.NOW, ledger::contains).stream().filter(s -> ledger.add(s.actionId())).forEach(taken::add);
    }

    private static Alert.Builder roleAlert(String id, Severity severity, ChainLink... chain) {
        ChainLink last = chain[chain.length - 1];
        return TestAlerts.roleSession(last.getPrincipalArn(), "attacker").setAlertId(id).setRuleId("TH-CT-001")
            .setRuleKind(RuleKind.SIGNATURE).setSeverity(severity).setIncidentId("inc-chain").setChain(List.of(chain))
            .setEventIds(List.of("e-" + id)).setRunbook("role-session-compromise");
    }

    private static ChainLink link(String arn, String key) {
        return ChainLink.newBuilder().setPrincipalArn(arn).setAccountId(arn.split(":")[4]).setAccessKeyId(key).build();
    }

    private static ResponsePlanner planner(Map<String, String> overrides) {
        return ResponsePlanner.from(new ResponderConfig(new HashMap<>(overrides)));
    }
}
