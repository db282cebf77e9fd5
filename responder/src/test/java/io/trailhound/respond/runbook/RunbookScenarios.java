package io.trailhound.respond.runbook;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.trailhound.avro.Alert;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.Entities;
import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;
import io.trailhound.avro.Severity;
import io.trailhound.respond.TestAlerts;
import io.trailhound.respond.incident.ChainContainment;
import io.trailhound.respond.incident.IncidentState;

/**
 * Representative alerts and settings for checks over every built-in runbook (#14): each runbook planned over each alert
 * reaches every branch that plans a different action (user, root, role session, instance credentials, Identity Center,
 * service-linked role, instances, buckets, snapshots and images), with nothing configured and with everything configured.
 */
public final class RunbookScenarios {

    public static final String INSTANCE = "i-0123456789abcdef0";
    public static final String ROLE = "arn:aws:iam::" + TestAlerts.ACCOUNT + ":role/web";

    private RunbookScenarios() {
    }

    /** The defaults, and every optional step switched on (topic, webhook, termination, forensics, compromised keys only). */
    public static List<RunbookSettings> settings() {
        ForensicSettings forensics = new ForensicSettings("arn:aws:iam::" + TestAlerts.ACCOUNT + ":instance-profile/deny-all",
            "999988887777", "Trailhound-CaptureMemory", 365, "COMPLIANCE", List.of("444455556666"));
        RunbookSettings everything = new RunbookSettings("ev", "allow-all", "quarantine", false,
            "arn:aws:sns:us-east-1:" + TestAlerts.ACCOUNT + ":soc", true, "https://hooks.example.com/trailhound", forensics);
        return List.of(RunbookSettings.defaults(), everything);
    }

    /** Alerts reaching every planning branch of the built-in runbooks. */
    public static List<Alert> alerts() {
        return List.of(
            TestAlerts.iamUser().build(),
            TestAlerts.iamUser().setPrincipal(Principal.newBuilder().setType(PrincipalType.Root).setPrincipalKey("root")
                .setAccountId(TestAlerts.ACCOUNT).build()).build(),
            TestAlerts.roleSession("arn:aws:iam::" + TestAlerts.ACCOUNT + ":role/app", "build").build(),
            TestAlerts.roleSession(ROLE, INSTANCE).build(),
            TestAlerts.roleSession("arn:aws:iam::" + TestAlerts.ACCOUNT + ":role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_1",
                "alice").build(),
            TestAlerts.roleSession("arn:aws:iam::" + TestAlerts.ACCOUNT + ":role/aws-service-role/x.amazonaws.com/AWSServiceRoleForX",
                "svc").build(),
            TestAlerts.instance(INSTANCE).setEntities(Entities.newBuilder().setInstanceIds(List.of(INSTANCE, "i-0fedcba9876543210"))
                .setRoleArns(List.of(ROLE)).build()).build(),
            TestAlerts.iamUser().setRuleId("AttackSequence:S3/CompromisedData").setEntities(Entities.newBuilder()
                .setBuckets(List.of("customer-data")).setUserNames(List.of("mallory")).setSnapshotIds(List.of("snap-0abc"))
                .setImageIds(List.of("ami-0def")).build()).build(),
            TestAlerts.roleSession(ROLE, "stolen").setRuleId("AttackSequence:S3/CompromisedData").setEntities(Entities.newBuilder()
                .setBuckets(List.of("customer-data")).setRoleArns(List.of(ROLE)).build()).build());
    }

    /**
     * Every built-in runbook planned over every representative alert with {@code settings}, and the steps only incident-chain
     * containment plans: a chain rooted at a federated subject (#18, the role's trust policy captured and narrowed).
     */
    public static List<Step> everyPlannedStep(RunbookSettings settings) {
        List<Step> steps = new ArrayList<>(RunbookSelector.builtIn(settings).stream()
            .flatMap(runbook -> alerts().stream().flatMap(alert -> runbook.plan(alert, TestAlerts.NOW).stream()))
            .toList());
        String role = "arn:aws:iam::" + TestAlerts.ACCOUNT + ":role/github-deploy";
        ChainLink subject = ChainLink.newBuilder().setAccountId(TestAlerts.ACCOUNT).setPrincipalArn("arn:aws:iam::" + TestAlerts.ACCOUNT
            + ":oidc-provider/token.actions.githubusercontent.com:repo:evil/x:ref:refs/heads/main").build();
        ChainLink assumed = ChainLink.newBuilder().setAccountId(TestAlerts.ACCOUNT).setPrincipalArn(role).build();
        IncidentState federated = new IncidentState("inc-federated", Severity.HIGH, List.of(subject, assumed),
            Map.of(role, List.of("repo:acme/app:ref:refs/heads/main")));
        new ChainContainment(settings, Severity.HIGH).plan(federated, TestAlerts.roleSession(role, "GitHubActions")
            .setIncidentId("inc-federated").build(), TestAlerts.NOW).forEach(link -> steps.addAll(link.steps()));
        return List.copyOf(steps);
    }
}
