package io.trailhound.respond.ssm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Entities;
import io.trailhound.avro.Mode;
import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;
import io.trailhound.respond.runbook.AwsAction;
import io.trailhound.respond.runbook.DataExfiltration;
import io.trailhound.respond.runbook.DenyPolicies;
import io.trailhound.respond.runbook.Ec2Compromise;
import io.trailhound.respond.runbook.IamUserCompromise;
import io.trailhound.respond.runbook.RoleSessionCompromise;
import io.trailhound.respond.runbook.Runbook;
import io.trailhound.respond.runbook.RunbookSelector;
import io.trailhound.respond.runbook.RunbookSettings;
import io.trailhound.respond.runbook.Step;
import io.trailhound.respond.runbook.UnauthorizedResourceCreation;
import io.trailhound.serde.TrustedAvroClasses;

/**
 * The built-in runbooks as Systems Manager Automation documents (schema 0.3), so a team can run the same procedure natively
 * in AWS (#14). One source of truth: each runbook is planned over an alert whose resource ids are document parameters
 * ({@code {{ InstanceId }}}), and every planned step becomes an {@code aws:executeAwsApi} or {@code aws:executeScript} step
 * making the same calls as its executor, with an {@code aws:approve} step right before each step the runbook makes wait for
 * approval (a rejection skips only that step).
 */
public final class AutomationDocuments {

    /** Planning time of the documents; its token cut-off is replaced by a marker the script resolves when it runs. */
    static final Instant PLANNED_AT = Instant.parse("2000-01-01T00:00:00Z");
    /** What the deny-policy scripts replace with the time they run at (rounded up to the next second). */
    static final String RUN_TIME_CUTOFF = "${TokenIssueTime}";

    private static final String ACCOUNT = "global:ACCOUNT_ID";
    /** The account id runbooks plan with (they parse ARNs with a numeric account), replaced by {@code {{ global:ACCOUNT_ID }}}. */
    private static final String PLANNED_ACCOUNT = "000000000000";
    private static final String REGION = "global:REGION";
    /** Parameters every document has, with their type and description. */
    private static final Map<String, String[]> PARAMETERS = new LinkedHashMap<>();

    static {
        // builders fill in defaults through SpecificData, which refuses classes Avro does not trust
        TrustedAvroClasses.install();
        parameter("IncidentId", "String", "Trailhound incident id: tags evidence, snapshots and isolated instances.");
        parameter("AutomationAssumeRole", "String", "ARN of the role Automation assumes (the responder's member-account role).");
        parameter("Approvers", "StringList", "IAM users or roles (ARNs) who approve the destructive steps.");
        parameter("EvidenceBucket", "String", "S3 bucket with Object Lock that receives the evidence.");
        parameter("NotificationTopicArn", "String", "SNS topic told that the runbook ran.");
        parameter("UserName", "String", "The compromised IAM user.");
        parameter("AccessKeyId", "String", "The compromised access key (with responder.access.keys.scope=compromised).");
        parameter("RoleName", "String", "The compromised role (for ec2-compromise: the instance's role).");
        parameter("InstanceId", "String", "The compromised or unauthorized EC2 instance.");
        parameter("BucketName", "String", "The exposed S3 bucket.");
        parameter("SnapshotId", "String", "An EBS snapshot shared outside the trusted accounts; empty for none.");
        parameter("ImageId", "String", "An AMI shared outside the trusted accounts; empty for none.");
    }

    private final RunbookSettings settings;

    /** Documents for runbooks configured by {@code settings} (forensic options, group names, trusted accounts). */
    public AutomationDocuments(RunbookSettings settings) {
        this.settings = settings;
    }

    private static void parameter(String name, String type, String description) {
        PARAMETERS.put(name, new String[] {type, description});
    }

    /** The input a runbook is planned over: the alert naming the resources, and the settings it is planned with. */
    public record Input(Alert alert, RunbookSettings settings) {
    }

    /**
     * The input of runbook {@code runbookId} with every value given by {@code value}: called with a parameter or global
     * variable name ({@code InstanceId}, {@code global:ACCOUNT_ID}); the documents use {@code name -> "{{ " + name + " }}"}.
     */
    public static Input input(String runbookId, RunbookSettings settings, UnaryOperator<String> value) {
        Entities.Builder entities = Entities.newBuilder();
        Principal principal = null;
        switch (runbookId) {
            case IamUserCompromise.ID -> principal = Principal.newBuilder().setType(PrincipalType.IAMUser)
                .setPrincipalKey(value.apply("UserName")).setAccountId(value.apply(ACCOUNT)).setUserName(value.apply("UserName"))
                .setAccessKeyId(value.apply("AccessKeyId")).build();
            case RoleSessionCompromise.ID -> {
                String role = "arn:aws:iam::" + value.apply(ACCOUNT) + ":role/" + value.apply("RoleName");
                principal = Principal.newBuilder().setType(PrincipalType.AssumedRole).setPrincipalKey(role).setArn(role)
                    .setAccountId(value.apply(ACCOUNT)).setSessionName("session").build();
                entities.setRoleArns(List.of(role));
            }
            case Ec2Compromise.ID -> entities.setInstanceIds(List.of(value.apply("InstanceId")))
                .setRoleArns(List.of("arn:aws:iam::" + value.apply(ACCOUNT) + ":role/" + value.apply("RoleName")));
            case DataExfiltration.ID -> entities.setBuckets(List.of(value.apply("BucketName")))
                .setSnapshotIds(List.of(value.apply("SnapshotId"))).setImageIds(List.of(value.apply("ImageId")));
            case UnauthorizedResourceCreation.ID -> entities.setInstanceIds(List.of(value.apply("InstanceId")));
            default -> throw new IllegalArgumentException("no document for runbook " + runbookId);
        }
        Alert alert = Alert.newBuilder().setAlertId("ssm").setRuleId(runbookId).setRunbook(runbookId)
            .setIncidentId(value.apply("IncidentId")).setAccountId(value.apply(ACCOUNT)).setRegion(value.apply(REGION))
            .setMode(Mode.LIVE).setFirstSeen(PLANNED_AT).setLastSeen(PLANNED_AT).setDetectedAt(PLANNED_AT)
            .setPrincipal(principal).setEntities(entities.build()).build();
        // the documents always notify through a topic parameter; the rest is as configured
        RunbookSettings planned = new RunbookSettings(value.apply("EvidenceBucket"), settings.allowAllGroupName(),
            settings.quarantineGroupName(), settings.deactivateAllAccessKeys(), value.apply("NotificationTopicArn"),
            settings.terminateCompromisedInstances(), settings.notificationWebhookUrl(), settings.forensics());
        return new Input(alert, planned);
    }

    /** The ids of the runbooks that have a document: every built-in runbook. */
    public List<String> runbookIds() {
        return RunbookSelector.builtIn(settings).stream().map(Runbook::id).toList();
    }

    /** The steps runbook {@code runbookId} plans for its document's input (each resource id a parameter reference). */
    public List<Step> plan(String runbookId) {
        Input input = input(runbookId, settings, name -> name.equals(ACCOUNT) ? PLANNED_ACCOUNT : reference(name));
        Runbook runbook = RunbookSelector.builtIn(input.settings()).stream().filter(r -> r.id().equals(runbookId)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown runbook " + runbookId));
        return runbook.plan(input.alert(), PLANNED_AT);
    }

    /** The document of runbook {@code runbookId}, if it is a built-in one. */
    public Optional<AutomationDocument> document(String runbookId) {
        return runbookIds().contains(runbookId) ? Optional.of(build(runbookId)) : Optional.empty();
    }

    /** One document per built-in runbook. */
    public List<AutomationDocument> all() {
        return runbookIds().stream().map(this::build).toList();
    }

    private AutomationDocument build(String runbookId) {
        List<Map<String, Object>> steps = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<Integer> gates = new ArrayList<>();
        SsmSteps ssm = new SsmSteps(settings);
        for (Step step : plan(runbookId)) {
            if (step.action() == AwsAction.TRAILHOUND_RECORD_ONLY) {
                // the automation's own execution history is the record
                continue;
            }
            String name = unique(names, stepName(step.name()));
            if (step.requiresApproval()) {
                gates.add(steps.size());
                steps.add(approval(unique(names, "Approve" + name), step));
            }
            Map<String, Object> converted = ssm.of(name, documentStep(step));
            if (step.continuesOnFailure()) {
                converted.put("onFailure", "Continue");
                converted.put("isCritical", false);
            }
            steps.add(converted);
        }
        for (int gate : gates) {
            // a rejection skips the gated step only, as the responder goes on with the other steps
            steps.get(gate).put("onFailure", gate + 2 < steps.size() ? "step:" + steps.get(gate + 2).get("name") : "Abort");
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("description", "Trailhound runbook " + runbookId + ", generated from the responder's Java runbook "
            + "(trailhound runbooks export): evidence first, then containment, aws:approve before every step that waits for approval. "
            + "Do not edit; export again.");
        document.put("schemaVersion", "0.3");
        document.put("assumeRole", reference("AutomationAssumeRole"));
        document.put("parameters", parameters(steps));
        document.put("mainSteps", steps);
        document.put("outputs", outputs(steps));
        return new AutomationDocument(runbookId, "Trailhound-" + stepName(runbookId), document);
    }

    private static Map<String, Object> approval(String name, Step gated) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("Approvers", reference("Approvers"));
        inputs.put("MinRequiredApprovals", 1);
        inputs.put("Message", "Trailhound incident " + reference("IncidentId") + ": approve " + gated.action().id() + " ("
            + gated.name() + ")" + (gated.destructive() ? ", which cannot be undone" : ""));
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("name", name);
        step.put("action", "aws:approve");
        step.put("isCritical", false);
        step.put("inputs", inputs);
        return step;
    }

    /**
     * The planned step as the document runs it: the account a reference again, and the planned cut-off of token-age denies
     * replaced by the marker the script resolves at run time.
     */
    private static Step documentStep(Step step) {
        String planned = DenyPolicies.cutoff(PLANNED_AT);
        Map<String, String> parameters = new LinkedHashMap<>();
        step.parameters().forEach((key, value) -> parameters.put(key,
            value.replace(planned, RUN_TIME_CUTOFF).replace(PLANNED_ACCOUNT, reference(ACCOUNT))));
        return new Step(step.name(), step.phase(), step.action(), step.resource().replace(PLANNED_ACCOUNT, reference(ACCOUNT)),
            parameters, step.destructive(), step.requiresApproval());
    }

    private static Map<String, Object> parameters(List<Map<String, Object>> steps) {
        Set<String> used = new TreeSet<>();
        Matcher references = AutomationDocumentChecker.REFERENCE.matcher(AutomationDocument.yaml(steps));
        while (references.find()) {
            used.add(references.group(1));
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        PARAMETERS.forEach((name, typeAndDescription) -> {
            boolean always = List.of("IncidentId", "AutomationAssumeRole", "Approvers", "EvidenceBucket").contains(name);
            if (always || used.contains(name)) {
                Map<String, Object> parameter = new LinkedHashMap<>();
                parameter.put("type", typeAndDescription[0]);
                parameter.put("description", typeAndDescription[1]);
                if (name.equals("SnapshotId") || name.equals("ImageId")) {
                    parameter.put("default", "");
                }
                parameters.put(name, parameter);
            }
        });
        return parameters;
    }

    @SuppressWarnings("unchecked")
    private static List<String> outputs(List<Map<String, Object>> steps) {
        List<String> outputs = new ArrayList<>();
        for (Map<String, Object> step : steps) {
            for (Map<String, Object> output : (List<Map<String, Object>>) step.getOrDefault("outputs", List.of())) {
                outputs.add(step.get("name") + "." + output.get("Name"));
            }
        }
        return outputs;
    }

    /** {@code {{ name }}}: a parameter or variable reference in a document. */
    static String reference(String name) {
        return "{{ " + name + " }}";
    }

    /** An SSM step name (letters and digits) from a runbook step name, without the resource ids some names end with. */
    static String stepName(String name) {
        StringBuilder camel = new StringBuilder();
        for (String word : name.replaceAll("-?\\{\\{[^}]*}}", "").split("[^A-Za-z0-9]+")) {
            if (!word.isEmpty()) {
                camel.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return camel.toString();
    }

    private static String unique(Set<String> names, String name) {
        String candidate = name;
        for (int n = 2; !names.add(candidate); n++) {
            candidate = name + n;
        }
        return candidate;
    }
}
