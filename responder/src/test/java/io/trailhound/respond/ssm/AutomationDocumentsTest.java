package io.trailhound.respond.ssm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import io.trailhound.respond.runbook.AwsAction;
import io.trailhound.respond.runbook.Runbook;
import io.trailhound.respond.runbook.RunbookScenarios;
import io.trailhound.respond.runbook.RunbookSelector;
import io.trailhound.respond.runbook.RunbookSettings;
import io.trailhound.respond.runbook.Step;

/** The runbooks exported as Systems Manager Automation documents (#14 item 4): valid, and the same procedure as the plan. */
class AutomationDocumentsTest {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Instant NOW = Instant.parse("2026-11-28T00:10:00Z");
    private static final Map<String, String> VALUES = Map.ofEntries(
        Map.entry("global:ACCOUNT_ID", "111122223333"), Map.entry("global:REGION", "eu-west-1"), Map.entry("IncidentId", "inc-7"),
        Map.entry("EvidenceBucket", "evidence-bucket"), Map.entry("NotificationTopicArn", "arn:aws:sns:eu-west-1:111122223333:soc"),
        Map.entry("UserName", "mallory"), Map.entry("AccessKeyId", "AKIAEXAMPLEKEY1"), Map.entry("RoleName", "web"),
        Map.entry("InstanceId", "i-0123456789abcdef0"), Map.entry("BucketName", "customer-data"), Map.entry("SnapshotId", "snap-0abc"),
        Map.entry("ImageId", "ami-0def"));

    @Test
    void shouldWriteAValidDocumentForEveryBuiltInRunbook() {
        for (RunbookSettings settings : RunbookScenarios.settings()) {
            List<AutomationDocument> documents = new AutomationDocuments(settings).all();
            assertEquals(List.of("iam-user-compromise", "role-session-compromise", "ec2-compromise", "data-exfiltration",
                "unauthorized-resource-creation"), documents.stream().map(AutomationDocument::runbookId).toList());
            for (AutomationDocument document : documents) {
                assertEquals(List.of(), AutomationDocumentChecker.check(document.yaml()), document.name() + ":\n" + document.yaml());
                assertTrue(document.name().matches("[A-Za-z0-9_.-]{3,128}") && !document.name().startsWith("AWS"), document.name());
            }
        }
    }

    @Test
    void shouldCallTheSameApisInTheSameOrderWithTheSameApprovalGatesAsThePlan() throws Exception {
        for (RunbookSettings settings : RunbookScenarios.settings()) {
            AutomationDocuments generator = new AutomationDocuments(settings);
            for (String runbookId : generator.runbookIds()) {
                List<Step> plan = plan(runbookId, settings);
                List<JsonNode> steps = new ArrayList<>();
                YAML.readTree(bind(generator.document(runbookId).orElseThrow().yaml())).path("mainSteps").forEach(steps::add);
                int at = 0;
                for (Step planned : plan) {
                    String where = runbookId + " step " + planned.name() + " (" + planned.action() + ")";
                    boolean gated = "aws:approve".equals(steps.get(at).path("action").asText());
                    assertEquals(planned.requiresApproval(), gated, where + ": aws:approve right before it exactly when it waits");
                    JsonNode step = steps.get(gated ? at + 1 : at);
                    assertCalls(planned, step, where);
                    at += gated ? 2 : 1;
                }
                assertEquals(steps.size(), at, runbookId + ": no step beyond the plan");
            }
        }
    }

    @Test
    void shouldReportEveryKindOfProblemOfABrokenDocument() {
        String broken = """
            schemaVersion: '0.2'
            colour: blue
            parameters:
              Name: {type: Text}
            mainSteps:
              - name: first step
                action: aws:executeAwsApi
                onFailure: step:nowhere
                inputs: {Service: ec2, Bucket: '{{ Missing }}', Other: '{{ later.Out }}'}
              - name: later
                action: aws:teleport
                nextStep: gone
                inputs: {}
                outputs: [{Name: Out, Selector: $.x, Type: String}]
              - name: later
                action: aws:executeScript
                inputs: {Runtime: python3.11, Handler: handler}
            outputs: [later.Nope]
            """;
        String problems = String.join("\n", AutomationDocumentChecker.check(broken));
        for (String expected : List.of("schemaVersion must be '0.3'", "unknown top-level field 'colour'", "parameter 'Name' has no valid",
            "'first step' must be", "needs input Api", "onFailure 'step:nowhere' names no step", "{{ Missing }}", "{{ later.Out }}",
            "unknown action 'aws:teleport'", "nextStep 'gone' names no step", "'later' is not unique", "a Script or an Attachment",
            "document output 'later.Nope'")) {
            assertTrue(problems.contains(expected), "expected '" + expected + "' in:\n" + problems);
        }
    }

    @Test
    void shouldNameStepsAfterTheRunbookStepsWithoutResourceIds() {
        assertEquals("BlockPublicAccess", AutomationDocuments.stepName("block-public-access-{{ BucketName }}"));
        assertEquals("DenyTokensIssuedBeforeNow", AutomationDocuments.stepName("deny-tokens-issued-before-now"));
    }

    /** The runbook's plan for the same input as the document, with concrete values; the audit-only record has no step. */
    private static List<Step> plan(String runbookId, RunbookSettings settings) {
        AutomationDocuments.Input input = AutomationDocuments.input(runbookId, settings, VALUES::get);
        Runbook runbook = RunbookSelector.builtIn(input.settings()).stream().filter(r -> r.id().equals(runbookId)).findFirst()
            .orElseThrow();
        return runbook.plan(input.alert(), NOW).stream().filter(s -> s.action() != AwsAction.TRAILHOUND_RECORD_ONLY).toList();
    }

    /** The document with the parameters (and account and region) given concrete values, as an execution would see it. */
    private static String bind(String yaml) {
        Matcher references = AutomationDocumentChecker.REFERENCE.matcher(yaml);
        StringBuilder bound = new StringBuilder();
        while (references.find()) {
            references.appendReplacement(bound, Matcher.quoteReplacement(VALUES.getOrDefault(references.group(1), references.group())));
        }
        return references.appendTail(bound).toString();
    }

    /** The document step makes the planned step's AWS call, on the same resource ids. */
    private static void assertCalls(Step planned, JsonNode step, String where) {
        AwsAction action = planned.action();
        JsonNode inputs = step.path("inputs");
        if ("aws:executeAwsApi".equals(step.path("action").asText())) {
            String service = action.service().equals("elasticloadbalancing") ? "elbv2" : action.service();
            // S3's API is PutPublicAccessBlock; IAM authorizes it as s3:PutBucketPublicAccessBlock
            String api = action == AwsAction.S3_PUT_BUCKET_PUBLIC_ACCESS_BLOCK ? "PutPublicAccessBlock" : action.operation();
            assertEquals(service + ":" + api, inputs.path("Service").asText() + ":" + inputs.path("Api").asText(), where);
        } else {
            assertEquals("aws:executeScript", step.path("action").asText(), where);
            String call = action.isAws() ? "." + snake(action.operation()) + "(" : "urllib.request.urlopen(";
            assertTrue(inputs.path("Script").asText().contains(call), where + ": the script calls " + call);
        }
        for (String id : List.of("UserName", "RoleName", "InstanceId", "Bucket", "SnapshotId", "ImageId", "DocumentName", "UserId")) {
            String value = planned.parameters().get(id);
            if (value != null) {
                assertTrue(inputs.toString().contains(value), where + ": " + id + "=" + value + " in " + inputs);
            }
        }
    }

    /** The boto3 method name of an API operation, e.g. {@code UpdateSSHPublicKey} → {@code update_ssh_public_key}. */
    private static String snake(String operation) {
        return operation.replaceAll("(.)([A-Z][a-z]+)", "$1_$2").replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }
}
