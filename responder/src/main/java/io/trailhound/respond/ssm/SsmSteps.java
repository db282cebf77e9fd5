package io.trailhound.respond.ssm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.trailhound.respond.runbook.Ec2Compromise;
import io.trailhound.respond.runbook.RunbookSettings;
import io.trailhound.respond.runbook.Step;

/**
 * Turns one planned runbook step into its Automation step: {@code aws:executeAwsApi} where the executor makes one call with
 * the step's parameters, else {@code aws:executeScript} with a handler making the executor's calls (state read first). A
 * switch without default: a new action does not compile until it has its document step (#14).
 */
final class SsmSteps {

    private final RunbookSettings settings;

    SsmSteps(RunbookSettings settings) {
        this.settings = settings;
    }

    Map<String, Object> of(String name, Step step) {
        Map<String, String> p = step.parameters();
        return switch (step.action()) {
            case IAM_LIST_ACCESS_KEYS -> api(name, "iam", "ListAccessKeys", Map.of("UserName", p.get("UserName")),
                output("AccessKeys", "$.AccessKeyMetadata", "MapList"));
            case IAM_UPDATE_ACCESS_KEY -> script(name, step, SsmScripts.UPDATE_ACCESS_KEYS);
            case IAM_PUT_USER_POLICY, IAM_PUT_ROLE_POLICY -> script(name, step, SsmScripts.PUT_INLINE_DENY);
            case IAM_DELETE_LOGIN_PROFILE -> script(name, step, SsmScripts.DELETE_LOGIN_PROFILE);
            case IAM_UPDATE_SSH_PUBLIC_KEY -> script(name, step, SsmScripts.UPDATE_SSH_PUBLIC_KEYS);
            case IAM_UPDATE_SERVICE_SPECIFIC_CREDENTIAL -> script(name, step, SsmScripts.UPDATE_SERVICE_SPECIFIC_CREDENTIALS);
            case IAM_UPDATE_SIGNING_CERTIFICATE -> script(name, step, SsmScripts.UPDATE_SIGNING_CERTIFICATES);
            case EC2_DESCRIBE_INSTANCES -> evidence(name, step, SsmScripts.CAPTURE_INSTANCE_METADATA);
            case EC2_DESCRIBE_INSTANCE_ATTRIBUTE -> evidence(name, step, SsmScripts.CAPTURE_USER_DATA);
            case EC2_DESCRIBE_IAM_INSTANCE_PROFILE_ASSOCIATIONS -> p.containsKey("EvidenceObject")
                ? evidence(name, step, SsmScripts.CAPTURE_INSTANCE_PROFILE)
                : api(name, "ec2", "DescribeIamInstanceProfileAssociations",
                    Map.of("Filters", List.of(Map.of("Name", "instance-id", "Values", List.of(p.get("InstanceId"))))),
                    output("Associations", "$.IamInstanceProfileAssociations", "MapList"));
            case EC2_GET_CONSOLE_OUTPUT -> evidence(name, step, SsmScripts.CAPTURE_CONSOLE_OUTPUT);
            case EC2_GET_CONSOLE_SCREENSHOT -> evidence(name, step, SsmScripts.CAPTURE_CONSOLE_SCREENSHOT);
            case EC2_CREATE_SNAPSHOTS -> script(name, step, SsmScripts.SNAPSHOT_VOLUMES);
            case SSM_SEND_COMMAND -> script(name, step, SsmScripts.CAPTURE_MEMORY);
            case AUTOSCALING_SET_INSTANCE_PROTECTION -> script(name, step, SsmScripts.PROTECT_FROM_SCALE_IN);
            case AUTOSCALING_ENTER_STANDBY -> script(name, step, SsmScripts.ENTER_STANDBY);
            case AUTOSCALING_DETACH_INSTANCES -> script(name, step, SsmScripts.DETACH_FROM_GROUP);
            case ELB_DEREGISTER_TARGETS -> script(name, step, SsmScripts.DEREGISTER_TARGETS);
            case EC2_MODIFY_INSTANCE_ATTRIBUTE -> instanceAttribute(name, step);
            case EC2_CREATE_TAGS -> Ec2Compromise.ORIGINAL_GROUPS_TAG.equals(p.get("Tag"))
                ? script(name, step, SsmScripts.RECORD_ORIGINAL_GROUPS) : tags(name, step);
            case EC2_MODIFY_NETWORK_INTERFACE_ATTRIBUTE -> script(name, step, SsmScripts.ISOLATE,
                Map.of("QuarantineGroupName", settings.quarantineGroupName()));
            case EC2_DISASSOCIATE_IAM_INSTANCE_PROFILE -> script(name, step, SsmScripts.DISASSOCIATE_PROFILE);
            case EC2_REPLACE_IAM_INSTANCE_PROFILE_ASSOCIATION -> script(name, step, SsmScripts.REPLACE_PROFILE);
            case EC2_MODIFY_SNAPSHOT_ATTRIBUTE -> "add".equals(p.get("OperationType"))
                ? script(name, step, SsmScripts.SHARE_SNAPSHOTS) : script(name, step, SsmScripts.UNSHARE_SNAPSHOT, trusted());
            case EC2_MODIFY_IMAGE_ATTRIBUTE -> script(name, step, SsmScripts.UNSHARE_IMAGE, trusted());
            case EC2_STOP_INSTANCES -> api(name, "ec2", "StopInstances", Map.of("InstanceIds", List.of(p.get("InstanceId"))),
                output("StoppingInstances", "$.StoppingInstances", "MapList"));
            case EC2_TERMINATE_INSTANCES -> script(name, step, SsmScripts.TERMINATE);
            case S3_GET_BUCKET_POLICY -> script(name, step, SsmScripts.RECORD_BUCKET_POLICY, Map.of(),
                output("Policy", "$.Payload.policy", "String"));
            // S3 authorizes PutPublicAccessBlock as s3:PutBucketPublicAccessBlock
            case S3_PUT_BUCKET_PUBLIC_ACCESS_BLOCK -> api(name, "s3", "PutPublicAccessBlock", Map.of("Bucket", p.get("Bucket"),
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "IgnorePublicAcls", true, "BlockPublicPolicy", true,
                    "RestrictPublicBuckets", true)));
            case S3_PUT_BUCKET_POLICY -> script(name, step, SsmScripts.REVERT_BUCKET_POLICY,
                Map.of("AccountId", AutomationDocuments.reference("global:ACCOUNT_ID"), "TrustedAccountIds", trustedIds()));
            case S3_PUT_BUCKET_ACL -> script(name, step, SsmScripts.REVERT_BUCKET_ACL);
            case SNS_PUBLISH -> api(name, "sns", "Publish", Map.of("TopicArn", step.resource(),
                "Subject", "Trailhound " + p.get("runbook") + " " + AutomationDocuments.reference("IncidentId"),
                "Message", "Trailhound runbook " + p.get("runbook") + " ran for incident " + AutomationDocuments.reference("IncidentId")
                    + " (automation execution " + AutomationDocuments.reference("automation:EXECUTION_ID") + ")."),
                output("MessageId", "$.MessageId", "String"));
            case TRAILHOUND_POST_WEBHOOK -> script(name, step, SsmScripts.POST_WEBHOOK, Map.of("WebhookUrl", step.resource(),
                "AutomationExecutionId", AutomationDocuments.reference("automation:EXECUTION_ID")));
            case TRAILHOUND_RECORD_ONLY, TRAILHOUND_ESCALATE_TO_HUMAN, IAM_LIST_SSH_PUBLIC_KEYS, IAM_LIST_SERVICE_SPECIFIC_CREDENTIALS,
                IAM_LIST_SIGNING_CERTIFICATES, IAM_GET_USER_POLICY, IAM_GET_ROLE_POLICY, IAM_PASS_ROLE, EC2_DESCRIBE_SNAPSHOTS,
                EC2_DESCRIBE_SNAPSHOT_ATTRIBUTE, EC2_DESCRIBE_IMAGE_ATTRIBUTE, EC2_DESCRIBE_SECURITY_GROUPS, EC2_CREATE_SECURITY_GROUP,
                EC2_AUTHORIZE_SECURITY_GROUP_INGRESS, EC2_REVOKE_SECURITY_GROUP_EGRESS, SSM_LIST_COMMANDS,
                AUTOSCALING_DESCRIBE_AUTO_SCALING_INSTANCES, ELB_DESCRIBE_TARGET_GROUPS, ELB_DESCRIBE_TARGET_HEALTH,
                S3_DELETE_BUCKET_POLICY, S3_GET_BUCKET_ACL, S3_GET_BUCKET_PUBLIC_ACCESS_BLOCK, S3_GET_OBJECT, S3_PUT_OBJECT,
                S3_PUT_OBJECT_TAGGING, S3_PUT_OBJECT_RETENTION, STS_ASSUME_ROLE,
                // release steps (#14) undo a recorded containment; they have no document
                IAM_DELETE_USER_POLICY, IAM_DELETE_ROLE_POLICY, EC2_ASSOCIATE_IAM_INSTANCE_PROFILE,
                // a federated root's trust narrowing (#18) is planned by incident-chain containment, which is no runbook, and
                // needs the subjects the stream processor learned: no document
                IAM_GET_ROLE, IAM_UPDATE_ASSUME_ROLE_POLICY ->
                throw new IllegalArgumentException("no runbook plans a step of " + step.action() + " in a document");
        };
    }

    private Map<String, Object> instanceAttribute(String name, Step step) {
        String instance = step.parameters().get("InstanceId");
        if (step.parameters().containsKey("DisableApiTermination")) {
            return api(name, "ec2", "ModifyInstanceAttribute", Map.of("InstanceId", instance,
                "DisableApiTermination", Map.of("Value", true)));
        }
        if (step.parameters().containsKey("InstanceInitiatedShutdownBehavior")) {
            return api(name, "ec2", "ModifyInstanceAttribute", Map.of("InstanceId", instance,
                "InstanceInitiatedShutdownBehavior", Map.of("Value", step.parameters().get("InstanceInitiatedShutdownBehavior"))));
        }
        return script(name, step, SsmScripts.KEEP_VOLUMES);
    }

    private static Map<String, Object> tags(String name, Step step) {
        List<Map<String, String>> tags = new ArrayList<>();
        step.parameters().forEach((key, value) -> {
            if (key.startsWith("Tag.")) {
                tags.add(Map.of("Key", key.substring("Tag.".length()), "Value", value));
            }
        });
        return api(name, "ec2", "CreateTags", Map.of("Resources", List.of(step.parameters().get("InstanceId")), "Tags", tags));
    }

    private Map<String, String> trusted() {
        return Map.of("TrustedAccountIds", trustedIds());
    }

    private String trustedIds() {
        return String.join(",", settings.forensics().trustedAccountIds());
    }

    private Map<String, Object> evidence(String name, Step step, String handler) {
        return script(name, step, handler, Map.of("RetentionDays", Integer.toString(settings.forensics().evidenceRetentionDays()),
            "ObjectLockMode", settings.forensics().objectLockMode()));
    }

    @SafeVarargs
    private static Map<String, Object> api(String name, String service, String api, Map<String, Object> parameters,
                                           Map<String, String>... outputs) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("Service", service);
        inputs.put("Api", api);
        inputs.putAll(new TreeMap<>(parameters));
        return step(name, "aws:executeAwsApi", inputs, List.of(outputs));
    }

    private static Map<String, Object> script(String name, Step step, String handler) {
        return script(name, step, handler, Map.of());
    }

    @SafeVarargs
    private static Map<String, Object> script(String name, Step step, String handler, Map<String, String> extra,
                                              Map<String, String>... outputs) {
        Map<String, Object> payload = new TreeMap<>();
        step.parameters().forEach((key, value) -> {
            if (!key.equals(Step.ON_FAILURE)) {
                payload.put(key, value);
            }
        });
        payload.put("IncidentId", AutomationDocuments.reference("IncidentId"));
        payload.putAll(extra);
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("Runtime", SsmScripts.RUNTIME);
        inputs.put("Handler", SsmScripts.HANDLER);
        inputs.put("InputPayload", payload);
        inputs.put("Script", SsmScripts.script(handler));
        List<Map<String, String>> all = new ArrayList<>(List.of(output("Changed", "$.Payload.changed", "StringList")));
        all.addAll(List.of(outputs));
        return step(name, "aws:executeScript", inputs, all);
    }

    private static Map<String, Object> step(String name, String action, Map<String, Object> inputs, List<Map<String, String>> outputs) {
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("name", name);
        step.put("action", action);
        step.put("inputs", inputs);
        if (!outputs.isEmpty()) {
            step.put("outputs", outputs);
        }
        return step;
    }

    private static Map<String, String> output(String name, String selector, String type) {
        Map<String, String> output = new LinkedHashMap<>();
        output.put("Name", name);
        output.put("Selector", selector);
        output.put("Type", type);
        return output;
    }
}
