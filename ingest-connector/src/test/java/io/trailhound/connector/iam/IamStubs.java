package io.trailhound.connector.iam;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsOperation;
import io.trailhound.testkit.aws.AwsQueryService;

/** Stubs of STS (a member role per account) and Organizations (AWS JSON 1.1) for the IAM snapshot tests, and configurations. */
public final class IamStubs {

    static final String ROOT = "r-ab12";
    static final String OU = "ou-ab12-11111111";
    public static final String ORG_ROLE = "arn:aws:iam::999999999999:role/trailhound-organizations-reader";
    static final String FULL_ACCESS = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
        + "\"Resource\":\"*\"}]}";
    static final String DENY_LEAVE = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":"
        + "\"organizations:LeaveOrganization\",\"Resource\":\"*\"}]}";
    private static final String TARGET = "AWSOrganizationsV20161128.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private IamStubs() {
    }

    /** AssumeRole of each account's trailhound-reader answers keys the fake IAM reads the account from; the org role too. */
    public static void memberRoles(AwsEndpointExtension aws, List<String> accounts) {
        for (String account : accounts) {
            aws.stubQuery(AwsQueryService.STS, "AssumeRole", Map.of("RoleArn", "arn:aws:iam::" + account + ":role/trailhound-reader"),
                credentials(FakeIam.keyOf(account)));
        }
        aws.stubQuery(AwsQueryService.STS, "AssumeRole", Map.of("RoleArn", ORG_ROLE), credentials("ASIAORGANIZATIONS001"));
    }

    private static String credentials(String keyId) {
        return "<Credentials><AccessKeyId>" + keyId + "</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>"
            + "<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>";
    }

    /**
     * An organization where each of {@code accounts} sits in {@link #OU} under {@link #ROOT}: FullAWSAccess on the root, the
     * OU and each account, and a deny of LeaveOrganization on the OU.
     */
    public static void organization(AwsEndpointExtension aws, List<String> accounts) {
        for (String account : accounts) {
            json(aws, "ListParents", "ChildId", account, Map.of("Parents", List.of(Map.of("Id", OU, "Type", "ORGANIZATIONAL_UNIT"))));
            json(aws, "ListPoliciesForTarget", "TargetId", account, policies("p-FullAWSAccess"));
        }
        json(aws, "ListParents", "ChildId", OU, Map.of("Parents", List.of(Map.of("Id", ROOT, "Type", "ROOT"))));
        json(aws, "ListPoliciesForTarget", "TargetId", ROOT, policies("p-FullAWSAccess"));
        json(aws, "ListPoliciesForTarget", "TargetId", OU, policies("p-FullAWSAccess", "p-denyleave1"));
        json(aws, "DescribePolicy", "PolicyId", "p-FullAWSAccess", Map.of("Policy", Map.of("PolicySummary",
            Map.of("Id", "p-FullAWSAccess", "Name", "FullAWSAccess", "Type", "SERVICE_CONTROL_POLICY"), "Content", FULL_ACCESS)));
        json(aws, "DescribePolicy", "PolicyId", "p-denyleave1", Map.of("Policy", Map.of("PolicySummary",
            Map.of("Id", "p-denyleave1", "Name", "DenyLeave", "Type", "SERVICE_CONTROL_POLICY"), "Content", DENY_LEAVE)));
    }

    private static Map<String, Object> policies(String... ids) {
        return Map.of("Policies", java.util.Arrays.stream(ids).map(id -> Map.of("Id", id, "Name", id.substring(2),
            "Type", "SERVICE_CONTROL_POLICY")).toList());
    }

    private static void json(AwsEndpointExtension aws, String operation, String field, String value, Object answer) {
        AwsOperation.Json op = AwsOperation.json(TARGET + operation);
        try {
            aws.wireMock().stubFor(op.matcher().withRequestBody(matchingJsonPath("$." + field, equalTo(value)))
                .willReturn(op.success(JSON.writeValueAsString(answer)).toResponse()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A source configuration reading {@code accounts} through the member role template, against {@code aws}. */
    public static Map<String, String> config(AwsEndpointExtension aws, List<String> accounts, String topic) {
        Map<String, String> config = new HashMap<>();
        config.put("accounts", String.join(",", accounts));
        config.put("aws.role.arn.template", "arn:aws:iam::{account}:role/trailhound-reader");
        config.put("aws.sts.endpoint.override", aws.endpoint().toString());
        config.put("aws.endpoint.override", aws.endpoint().toString());
        config.put("aws.region", aws.region());
        config.put("aws.access.key.id", aws.accessKeyId());
        config.put("aws.secret.access.key", aws.secretAccessKey());
        config.put("topic", topic);
        config.put("deadletter.topic", topic + ".dead");
        config.put("retry.backoff.base.ms", "50");
        config.put("retry.backoff.max.ms", "500");
        return config;
    }
}
