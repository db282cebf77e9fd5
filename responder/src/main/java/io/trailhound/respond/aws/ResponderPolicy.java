package io.trailhound.respond.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
        statement(statements, "AssumeResponderRole", "arn:" + partition + ":iam::*:role/" + roleName, "sts:AssumeRole");
        List<String> evidence = new ArrayList<>(List.of("s3:PutObject", "s3:PutObjectTagging", "s3:GetObject"));
        if (settings.forensics().evidenceRetentionDays() > 0) {
            evidence.add("s3:PutObjectRetention");
        }
        statement(statements, "WriteEvidence", "arn:" + partition + ":s3:::" + evidenceBucket + "/*", evidence.toArray(String[]::new));
        if (!settings.notificationTopicArn().isEmpty()) {
            statement(statements, "NotifyIncidents", settings.notificationTopicArn(), "sns:Publish");
        }
        return write(policy);
    }

    private static String document(SortedSet<String> actions, String resource) {
        ObjectNode policy = MAPPER.createObjectNode().put("Version", "2012-10-17");
        statement(policy.putArray("Statement"), "TrailhoundResponse", resource, actions.toArray(String[]::new));
        return write(policy);
    }

    private static void statement(ArrayNode statements, String sid, String resource, String... actions) {
        ObjectNode statement = statements.addObject().put("Sid", sid).put("Effect", "Allow");
        ArrayNode list = statement.putArray("Action");
        for (String action : actions) {
            list.add(action);
        }
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
