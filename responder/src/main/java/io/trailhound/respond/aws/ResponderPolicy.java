package io.trailhound.respond.aws;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailhound.respond.runbook.AwsAction;
import io.trailhound.respond.runbook.RunbookSettings;

/**
 * The least-privilege IAM policies of the responder, derived from what its executors call: one for the role it assumes
 * in every account it acts in, one for its own identity (assume that role, write evidence).
 */
public final class ResponderPolicy {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ResponderPolicy() {
    }

    /** The policy of the role assumed in each account: exactly the executors' actions. */
    public static String targetAccountRole(StepExecutors executors) {
        return document(executors.awsActions(), "*");
    }

    /** The policy of the responder's own identity: assume the role in any account, write and read evidence objects. */
    public static String responderIdentity(String partition, String roleName, String evidenceBucket) {
        return responderIdentity(partition, roleName, evidenceBucket, RunbookSettings.defaults());
    }

    /**
     * The policy of the responder's own identity for {@code settings}: assume the role in any account; write evidence
     * objects (with their Object Lock retention when one is configured); publish to the notification topic when one is.
     */
    public static String responderIdentity(String partition, String roleName, String evidenceBucket, RunbookSettings settings) {
        ObjectNode policy = MAPPER.createObjectNode().put("Version", "2012-10-17");
        ArrayNode statements = policy.putArray("Statement");
        statement(statements, "AssumeResponderRole", "arn:" + partition + ":iam::*:role/" + roleName, AwsAction.STS_ASSUME_ROLE);
        List<AwsAction> evidence = new ArrayList<>(List.of(AwsAction.S3_PUT_OBJECT, AwsAction.S3_PUT_OBJECT_TAGGING,
            AwsAction.S3_GET_OBJECT));
        if (settings.forensics().evidenceRetentionDays() > 0) {
            evidence.add(AwsAction.S3_PUT_OBJECT_RETENTION);
        }
        statement(statements, "WriteEvidence", "arn:" + partition + ":s3:::" + evidenceBucket + "/*",
            evidence.toArray(AwsAction[]::new));
        if (!settings.notificationTopicArn().isEmpty()) {
            statement(statements, "NotifyIncidents", settings.notificationTopicArn(), AwsAction.SNS_PUBLISH);
        }
        return write(policy);
    }

    private static String document(SortedSet<String> actions, String resource) {
        ObjectNode policy = MAPPER.createObjectNode().put("Version", "2012-10-17");
        statement(policy.putArray("Statement"), "TrailhoundResponse", resource, actions);
        return write(policy);
    }

    private static void statement(ArrayNode statements, String sid, String resource, AwsAction... actions) {
        statement(statements, sid, resource, Arrays.stream(actions).map(AwsAction::id).toList());
    }

    private static void statement(ArrayNode statements, String sid, String resource, Collection<String> actions) {
        ObjectNode statement = statements.addObject().put("Sid", sid).put("Effect", "Allow");
        ArrayNode list = statement.putArray("Action");
        actions.forEach(list::add);
        statement.put("Resource", resource);
    }

    private static String write(ObjectNode node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the policy", e);
        }
    }
}
