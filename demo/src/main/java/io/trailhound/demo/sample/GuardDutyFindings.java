package io.trailhound.demo.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The sample's GuardDuty findings, shaped as {@code GetFindings} returns them: a harmless port probe in the history, then
 * the miner's DNS lookups on the production instance and its role's credentials used from outside AWS.
 */
final class GuardDutyFindings {

    /** The detector id of every region in the sample. */
    static final String DETECTOR = "4ab8c2e0f7d94d1e9b3c5a6f7e8d9c0b";

    private final EventFactory events;

    GuardDutyFindings(EventFactory events) {
        this.events = events;
    }

    List<ObjectNode> generate(Instant probeAt, Instant minerAt, Instant exfiltrationAt, String stolenKey) {
        ObjectNode probe = finding("Recon:EC2/PortProbeUnprotectedPort", 2.0, probeAt,
            "Unprotected port on EC2 instance " + SampleOrganization.APP_INSTANCE_2 + " is being probed.");
        probe.set("resource", instance(SampleOrganization.APP_INSTANCE_2, "10.20.1.43"));
        ((ObjectNode) probe.get("service")).putObject("action").put("actionType", "PORT_PROBE").putObject("portProbeAction")
            .put("blocked", false);
        ObjectNode miner = finding("CryptoCurrency:EC2/BitcoinTool.B!DNS", 8.0, minerAt,
            "EC2 instance " + SampleOrganization.APP_INSTANCE
                + " is querying a domain name that is associated with Bitcoin-related activity.");
        miner.set("resource", instance(SampleOrganization.APP_INSTANCE, "10.20.1.31"));
        ((ObjectNode) miner.get("service")).putObject("action").put("actionType", "DNS_REQUEST").putObject("dnsRequestAction")
            .put("domain", "xmr-us-east1.nanopool.org").put("protocol", "UDP").put("blocked", false);
        ObjectNode exfiltration = finding("UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS", 8.0, exfiltrationAt,
            "Credentials for instance role " + SampleOrganization.APP_ROLE + " used from external IP address "
                + SampleOrganization.ATTACKER_IP + ".");
        ObjectNode resource = EventFactory.object().put("resourceType", "AccessKey");
        resource.putObject("accessKeyDetails").put("accessKeyId", stolenKey)
            .put("principalId", SampleOrganization.PROD_APP.roleId() + ":" + SampleOrganization.APP_INSTANCE)
            .put("userName", SampleOrganization.APP_ROLE).put("userType", "AssumedRole");
        exfiltration.set("resource", resource);
        ObjectNode api = ((ObjectNode) exfiltration.get("service")).putObject("action").put("actionType", "AWS_API_CALL")
            .putObject("awsApiCallAction");
        api.put("api", "ListBuckets").put("serviceName", "s3.amazonaws.com").put("callerType", "Remote IP");
        ObjectNode remote = api.putObject("remoteIpDetails").put("ipAddressV4", SampleOrganization.ATTACKER_IP);
        remote.putObject("country").put("countryName", "Germany");
        remote.putObject("organization").put("asn", "208294").put("asnOrg", "Example Hosting").put("isp", "Example Hosting")
            .put("org", "Example Hosting");
        return List.of(probe, miner, exfiltration);
    }

    private ObjectNode finding(String type, double severity, Instant at, String description) {
        String id = events.uuid().replace("-", "");
        ObjectNode f = EventFactory.object();
        f.put("accountId", SampleOrganization.PROD);
        f.put("arn", "arn:aws:guardduty:us-east-1:" + SampleOrganization.PROD + ":detector/" + DETECTOR + "/finding/" + id);
        f.put("createdAt", at.toString());
        f.put("description", description);
        f.put("id", id);
        f.put("partition", "aws");
        f.put("region", SampleOrganization.US_EAST_1);
        f.put("schemaVersion", "2.0");
        ObjectNode service = f.putObject("service");
        service.put("archived", false).put("count", 1).put("detectorId", DETECTOR)
            .put("eventFirstSeen", at.minus(Duration.ofMinutes(2)).toString()).put("eventLastSeen", at.toString())
            .put("resourceRole", "TARGET").put("serviceName", "guardduty");
        service.putObject("additionalInfo").put("value", "{}").put("type", "default");
        f.put("severity", severity);
        f.put("title", description);
        f.put("type", type);
        f.put("updatedAt", at.toString());
        return f;
    }

    private static ObjectNode instance(String instanceId, String privateIp) {
        ObjectNode resource = EventFactory.object().put("resourceType", "Instance");
        ObjectNode details = resource.putObject("instanceDetails").put("availabilityZone", "us-east-1a")
            .put("imageId", "ami-0b5eea76982371e91").put("instanceId", instanceId).put("instanceState", "running")
            .put("instanceType", "m6i.large").put("launchTime", "2026-09-14T08:12:40.000Z");
        details.putObject("iamInstanceProfile").put("arn", "arn:aws:iam::" + SampleOrganization.PROD + ":instance-profile/app-server")
            .put("id", "AIPAQ4EXAMPLEAPPSERVR");
        ArrayNode nics = details.putArray("networkInterfaces");
        nics.addObject().put("networkInterfaceId", "eni-0" + instanceId.substring(3, 19)).put("privateIpAddress", privateIp)
            .put("subnetId", "subnet-0a1b2c3d4e5f60718").put("vpcId", "vpc-0f9e8d7c6b5a43210");
        details.putArray("tags").addObject().put("key", "Name").put("value", "acme-api");
        return resource;
    }
}
