package io.trailhound.demo.month;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * RunInstances as Auto Scaling calls it from a launch template, and EC2's answer as CloudTrail records it: the instance is
 * {@code pending}, its network interface has its private address, and there is no public address yet (EC2 assigns it when
 * the instance starts, so the response has no {@code association}).
 */
final class LaunchRecords {

    private static final String LAUNCH_TEMPLATE = "lt-0d4e5f60718293a4b";
    private static final String SECURITY_GROUP = "sg-0e5f60718293a4b5c";
    private static final String VPC = "vpc-0f60718293a4b5c6d";
    private static final String AMI = "ami-0c7217cdde317cfec";

    private LaunchRecords() {
    }

    static ObjectNode request(Draw draw, WebInstance instance) {
        return Json.of("instancesSet", Json.items(Json.of("minCount", 1, "maxCount", 1)),
            "launchTemplate", Json.of("launchTemplateId", LAUNCH_TEMPLATE, "version", "7"),
            "subnetId", instance.subnet, "disableApiTermination", false,
            "clientToken", "fleet-" + draw.uuid() + "-0",
            "tagSpecificationSet", Json.items(Json.of("resourceType", "instance", "tags",
                Json.array(Json.of("key", "aws:autoscaling:groupName", "value", WebTier.GROUP)))));
    }

    static ObjectNode response(Draw draw, WebInstance instance) {
        long launchMillis = instance.launched.toEpochMilli() / 1000 * 1000;
        ObjectNode groups = Json.items(Json.of("groupId", SECURITY_GROUP, "groupName", "web"));
        ObjectNode eni = Json.of("networkInterfaceId", instance.eni, "subnetId", instance.subnet, "vpcId", VPC,
            "ownerId", Org.PROD, "status", "in-use", "macAddress", mac(draw), "privateIpAddress", instance.privateIp,
            "privateDnsName", instance.privateDns(), "sourceDestCheck", true, "interfaceType", "interface", "groupSet", groups,
            "attachment", Json.of("attachmentId", "eni-attach-0" + draw.hex(16), "deviceIndex", 0, "networkCardIndex", 0,
                "status", "attaching", "attachTime", launchMillis, "deleteOnTermination", true),
            "privateIpAddressesSet", Json.of("item", Json.array(Json.of("privateIpAddress", instance.privateIp,
                "privateDnsName", instance.privateDns(), "primary", true))),
            "ipv6AddressesSet", Json.of(), "tagSet", Json.of());
        ObjectNode item = Json.of("instanceId", instance.id, "imageId", AMI, "currentInstanceBootMode", "legacy-bios",
            "instanceState", Json.of("code", 0, "name", "pending"), "privateDnsName", instance.privateDns(), "amiLaunchIndex", 0,
            "productCodes", Json.of(), "instanceType", "t3.medium", "launchTime", launchMillis,
            "placement", Json.of("availabilityZone", instance.zone, "tenancy", "default"),
            "monitoring", Json.of("state", "disabled"), "subnetId", instance.subnet, "vpcId", VPC,
            "privateIpAddress", instance.privateIp, "stateReason", Json.of("code", "pending", "message", "pending"),
            "architecture", "x86_64", "rootDeviceType", "ebs", "rootDeviceName", "/dev/xvda", "blockDeviceMapping", Json.of(),
            "virtualizationType", "hvm", "clientToken", "fleet-" + draw.uuid() + "-0",
            "tagSet", Json.items(Json.of("key", "aws:autoscaling:groupName", "value", WebTier.GROUP),
                Json.of("key", "aws:ec2launchtemplate:id", "value", LAUNCH_TEMPLATE),
                Json.of("key", "aws:ec2launchtemplate:version", "value", "7")),
            "groupSet", groups, "sourceDestCheck", true, "hypervisor", "xen",
            "networkInterfaceSet", Json.items(eni),
            "iamInstanceProfile", Json.of("arn", "arn:aws:iam::" + Org.PROD + ":instance-profile/" + WebTier.ROLE,
                "id", "AIPA" + Sts.roleId(Org.PROD, "instance-profile").substring(4)),
            "ebsOptimized", false, "enaSupport", true, "cpuOptions", Json.of("coreCount", 1, "threadsPerCore", 2),
            "capacityReservationSpecification", Json.of("capacityReservationPreference", "open"),
            "enclaveOptions", Json.of("enabled", false),
            "metadataOptions", Json.of("state", "pending", "httpTokens", "required", "httpPutResponseHopLimit", 2,
                "httpEndpoint", "enabled", "httpProtocolIpv4", "enabled", "httpProtocolIpv6", "disabled",
                "instanceMetadataTags", "disabled"),
            "maintenanceOptions", Json.of("autoRecovery", "default"),
            "privateDnsNameOptions", Json.of("hostnameType", "ip-name", "enableResourceNameDnsARecord", false,
                "enableResourceNameDnsAAAARecord", false));
        return Json.of("requestId", draw.uuid(), "reservationId", "r-0" + draw.hex(16), "ownerId", Org.PROD,
            "requesterId", "940372691376", "groupSet", Json.of(), "instancesSet", Json.items(item));
    }

    private static String mac(Draw draw) {
        StringBuilder mac = new StringBuilder("0e");
        for (int i = 0; i < 5; i++) {
            mac.append(':').append(draw.hex(2));
        }
        return mac.toString();
    }
}
