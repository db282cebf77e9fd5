package io.trailhound.detect.normalize;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.trailhound.avro.AccessKeyDetails;
import io.trailhound.avro.ApiCall;
import io.trailhound.avro.GuardDutyFinding;
import io.trailhound.avro.InstanceDetails;
import io.trailhound.avro.S3BucketDetail;
import io.trailhound.avro.Severity;
import io.trailhound.keying.PrincipalKeys;

/** Maps a GuardDuty finding in the API shape (also the {@code detail} of an EventBridge "GuardDuty Finding") to the Avro type. */
final class GuardDutyFindingParser {

    /** Whether {@code node} looks like a GuardDuty finding rather than a CloudTrail record. */
    static boolean isFinding(JsonNode node) {
        return PrincipalKeys.isFinding(node);
    }

    Normalized parse(JsonNode f) {
        String id = JsonFields.text(f, "id");
        if (id == null) {
            return new Normalized.Rejected("GuardDuty finding without id");
        }
        Optional<Instant> updated = EventTimes.parse(JsonFields.text(f, "updatedAt"));
        Optional<Instant> created = EventTimes.parse(JsonFields.text(f, "createdAt"));
        if (updated.isEmpty() && created.isEmpty()) {
            return new Normalized.Rejected("GuardDuty finding " + id + " without a parseable updatedAt or createdAt");
        }
        JsonNode service = f.path("service");
        JsonNode resource = f.path("resource");
        JsonNode action = service.path("action");
        JsonNode apiAction = action.path("awsApiCallAction");
        JsonNode remote = apiAction.path("remoteIpDetails");
        double severity = f.path("severity").asDouble(0.0);
        GuardDutyFinding finding = GuardDutyFinding.newBuilder()
                .setFindingId(id)
                .setDetectorId(JsonFields.text(service, "detectorId"))
                .setType(orEmpty(JsonFields.text(f, "type")))
                .setTitle(orEmpty(JsonFields.text(f, "title")))
                .setDescription(JsonFields.text(f, "description"))
                .setSeverity(severity)
                .setSeverityLabel(label(severity))
                .setAccountId(orEmpty(JsonFields.text(f, "accountId")))
                .setRegion(orEmpty(JsonFields.text(f, "region")))
                .setPartition(JsonFields.text(f, "partition") == null ? "aws" : JsonFields.text(f, "partition"))
                .setResourceType(JsonFields.text(resource, "resourceType"))
                .setInstanceDetails(instance(resource.path("instanceDetails")))
                .setAccessKeyDetails(accessKey(resource.path("accessKeyDetails")))
                .setS3Buckets(buckets(resource.path("s3BucketDetails")))
                .setActionType(JsonFields.text(action, "actionType"))
                .setApiCall(apiAction.isObject() ? new ApiCall(JsonFields.text(apiAction, "serviceName"),
                        JsonFields.text(apiAction, "api")) : null)
                .setRemoteIpAddress(JsonFields.text(remote, "ipAddressV4"))
                .setRemoteCountry(JsonFields.text(remote.path("country"), "countryName"))
                .setRemoteOrganization(JsonFields.text(remote.path("organization"), "org"))
                .setCount(service.path("count").asLong(1L))
                .setCreatedAt(created.orElse(updated.orElse(Instant.EPOCH)))
                .setUpdatedAt(updated.orElse(created.orElse(Instant.EPOCH)))
                .setFirstSeen(EventTimes.parse(JsonFields.text(service, "eventFirstSeen")).orElse(null))
                .setLastSeen(EventTimes.parse(JsonFields.text(service, "eventLastSeen")).orElse(null))
                .setArchived(service.path("archived").asBoolean(false))
                .setSample(service.path("additionalInfo").path("sample").asBoolean(false))
                .build();
        return new Normalized.Finding(finding);
    }

    /** GuardDuty's bands: 9.0+ critical, 7.0+ high, 4.0+ medium, 1.0+ low, below informational. */
    static Severity label(double severity) {
        if (severity >= 9.0) {
            return Severity.CRITICAL;
        }
        if (severity >= 7.0) {
            return Severity.HIGH;
        }
        if (severity >= 4.0) {
            return Severity.MEDIUM;
        }
        return severity >= 1.0 ? Severity.LOW : Severity.INFORMATIONAL;
    }

    private static InstanceDetails instance(JsonNode n) {
        if (!n.isObject()) {
            return null;
        }
        List<String> privateIps = new ArrayList<>();
        List<String> publicIps = new ArrayList<>();
        for (JsonNode nic : n.path("networkInterfaces")) {
            addIfPresent(privateIps, JsonFields.text(nic, "privateIpAddress"));
            addIfPresent(publicIps, JsonFields.text(nic, "publicIp"));
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode tag : n.path("tags")) {
            if (JsonFields.text(tag, "key") != null) {
                tags.put(JsonFields.text(tag, "key"), orEmpty(JsonFields.text(tag, "value")));
            }
        }
        return InstanceDetails.newBuilder()
                .setInstanceId(JsonFields.text(n, "instanceId"))
                .setInstanceProfileArn(JsonFields.text(n.path("iamInstanceProfile"), "arn"))
                .setImageId(JsonFields.text(n, "imageId"))
                .setVpcId(n.path("networkInterfaces").path(0).path("vpcId").asText(null))
                .setSubnetId(n.path("networkInterfaces").path(0).path("subnetId").asText(null))
                .setPrivateIpAddresses(privateIps)
                .setPublicIpAddresses(publicIps)
                .setTags(tags)
                .build();
    }

    private static AccessKeyDetails accessKey(JsonNode n) {
        if (!n.isObject()) {
            return null;
        }
        return new AccessKeyDetails(JsonFields.text(n, "accessKeyId"), JsonFields.text(n, "principalId"),
                JsonFields.text(n, "userName"), JsonFields.text(n, "userType"));
    }

    private static List<S3BucketDetail> buckets(JsonNode list) {
        List<S3BucketDetail> out = new ArrayList<>();
        for (JsonNode b : list) {
            out.add(new S3BucketDetail(JsonFields.text(b, "name"), JsonFields.text(b, "arn"), JsonFields.text(b, "type")));
        }
        return out;
    }

    private static void addIfPresent(List<String> list, String value) {
        if (value != null) {
            list.add(value);
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
