package io.trailhound.connector;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The least-privilege IAM permissions of the four source connectors: exactly the actions their AWS calls need
 * (a test maps every request the module's tests send to one of these, and checks none is unused).
 */
public final class ConnectorPolicy {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** S3 log-file source: ListObjectsV2 (s3:ListBucket), GetObject/HeadObject (s3:GetObject). */
    private static final String[] S3 = {"s3:ListBucket", "s3:GetObject"};
    /** S3 calls KMS on the reader's behalf when the trail's log files are encrypted with SSE-KMS (CloudTrail's usual setup). */
    private static final String[] KMS = {"kms:Decrypt"};
    /**
     * S3 notifications and EventBridge queues: ReceiveMessage, DeleteMessage/DeleteMessageBatch (sqs:DeleteMessage), and
     * GetQueueAttributes (validate()'s access check).
     */
    private static final String[] SQS = {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"};
    /**
     * GuardDuty source: detector discovery, the updatedAt-ordered listing and the fetch of the findings; GetDetector is
     * validate()'s check of configured detector.ids.
     */
    private static final String[] GUARDDUTY = {"guardduty:ListDetectors", "guardduty:GetDetector", "guardduty:ListFindings",
        "guardduty:GetFindings"};
    /** IAM snapshot source: the account's whole authorization details (through the member role). */
    private static final String[] IAM = {"iam:GetAccountAuthorizationDetails"};
    /** IAM snapshot source with organizations.role.arn: the SCPs in effect, from the account up to the root. */
    private static final String[] ORGANIZATIONS = {"organizations:ListParents", "organizations:ListPoliciesForTarget",
        "organizations:DescribePolicy"};
    /**
     * Only when aws.role.arn or aws.role.arn.template is set: the base credentials assume that role (the role then needs the
     * other actions). Granted on the roles named like Trailhound's ({@link #ROLE_RESOURCE}).
     */
    private static final String[] STS = {"sts:AssumeRole"};
    /** The roles the connector may assume: Trailhound's reader roles in any account of the organization. */
    public static final String ROLE_RESOURCE = "arn:aws:iam::*:role/trailhound-*";

    private ConnectorPolicy() {
    }

    /** Every IAM action the connectors can call, sorted; no wildcards. */
    public static SortedSet<String> actions() {
        SortedSet<String> actions = new TreeSet<>();
        for (String[] group : new String[][] {S3, KMS, SQS, GUARDDUTY, IAM, ORGANIZATIONS, STS}) {
            Collections.addAll(actions, group);
        }
        return Collections.unmodifiableSortedSet(actions);
    }

    /**
     * An IAM policy document allowing {@link #actions()}, one statement per service, on every resource except
     * sts:AssumeRole (on {@link #ROLE_RESOURCE}); drop that statement when no role is configured.
     */
    public static String policyDocument() {
        ObjectNode policy = MAPPER.createObjectNode().put("Version", "2012-10-17");
        ArrayNode statements = policy.putArray("Statement");
        statement(statements, "TrailhoundReadTrailLogs", S3);
        statement(statements, "TrailhoundDecryptTrailLogs", KMS);
        statement(statements, "TrailhoundReadQueues", SQS);
        statement(statements, "TrailhoundReadGuardDuty", GUARDDUTY);
        statement(statements, "TrailhoundReadIamSnapshots", IAM);
        statement(statements, "TrailhoundReadServiceControlPolicies", ORGANIZATIONS);
        statement(statements, "TrailhoundAssumeReaderRole", STS).put("Resource", ROLE_RESOURCE);
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(policy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the policy", e);
        }
    }

    private static ObjectNode statement(ArrayNode statements, String sid, String... actions) {
        ObjectNode statement = statements.addObject().put("Sid", sid).put("Effect", "Allow");
        ArrayNode list = statement.putArray("Action");
        for (String action : actions) {
            list.add(action);
        }
        statement.put("Resource", "*");
        return statement;
    }
}
