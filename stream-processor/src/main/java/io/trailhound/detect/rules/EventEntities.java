package io.trailhound.detect.rules;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.trailhound.avro.Entities;
import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;

/** Extracts the entities an event involves (access keys, instances, users, roles, IPs, buckets) for alerts and suppression. */
public final class EventEntities {

    private static final Pattern IP = Pattern.compile("[0-9a-fA-F:.]+");
    /** An EC2 instance id; EC2 names the role session of instance-profile credentials after the instance. */
    private static final Pattern INSTANCE_SESSION = Pattern.compile("i-[0-9a-f]{8,17}");
    /** An SSM managed (hybrid, non-EC2) instance: reported apart, no EC2 action applies to it. */
    private static final Pattern MANAGED_INSTANCE = Pattern.compile("mi-[0-9a-f]{8,17}");
    /** Key in {@code Entities.other} of the SSM managed instances an event reaches. */
    public static final String MANAGED_INSTANCES = "managedInstanceIds";
    private static final List<String> TARGETS = List.of("requestParameters.bucketName", "requestParameters.userName",
            "requestParameters.roleName", "requestParameters.roleArn", "requestParameters.instanceId",
            "requestParameters.instancesSet.items.instanceId", "requestParameters.groupId", "requestParameters.name",
            "requestParameters.trailName", "requestParameters.keyId", "requestParameters.functionName",
            "requestParameters.dBInstanceIdentifier", "requestParameters.dBClusterIdentifier", "requestParameters.snapshotId",
            "requestParameters.imageId", "requestParameters.policyArn", "requestParameters.secretId", "requestParameters.detectorId");

    private EventEntities() {
    }

    /** The entities of {@code view}. */
    public static Entities of(EventView view) {
        Principal p = view.event().getPrincipal();
        Set<String> keys = new LinkedHashSet<>();
        addIfPresent(keys, p.getAccessKeyId());
        texts(view, "requestParameters.accessKeyId", keys);
        texts(view, "responseElements.accessKey.accessKeyId", keys);
        texts(view, "responseElements.credentials.accessKeyId", keys);
        Set<String> instances = new LinkedHashSet<>();
        if (p.getType() == PrincipalType.AssumedRole && p.getSessionName() != null
                && INSTANCE_SESSION.matcher(p.getSessionName()).matches()) {
            instances.add(p.getSessionName());
        }
        texts(view, "requestParameters.instanceId", instances);
        texts(view, "requestParameters.instancesSet.items.instanceId", instances);
        texts(view, "responseElements.instancesSet.items.instanceId", instances);
        Set<String> managed = new LinkedHashSet<>();
        ssmTargets(view, instances, managed);
        Set<String> users = new LinkedHashSet<>();
        if (p.getType() == PrincipalType.IAMUser) {
            addIfPresent(users, p.getUserName());
        }
        texts(view, "requestParameters.userName", users);
        Set<String> roles = new LinkedHashSet<>();
        if (p.getType() == PrincipalType.AssumedRole) {
            addIfPresent(roles, p.getArn());
        }
        texts(view, "requestParameters.roleArn", roles);
        Set<String> ips = new LinkedHashSet<>();
        String source = view.event().getSourceIpAddress();
        if (source != null && IP.matcher(source).matches()) {
            ips.add(source);
        }
        Set<String> buckets = new LinkedHashSet<>();
        texts(view, "requestParameters.bucketName", buckets);
        return Entities.newBuilder()
                .setAccessKeyIds(new ArrayList<>(keys))
                .setInstanceIds(new ArrayList<>(instances))
                .setUserNames(new ArrayList<>(users))
                .setRoleArns(new ArrayList<>(roles))
                .setIpAddresses(new ArrayList<>(ips))
                .setBuckets(new ArrayList<>(buckets))
                .setOther(managed.isEmpty() ? Map.of() : Map.of(MANAGED_INSTANCES, new ArrayList<>(managed)))
                .build();
    }

    /** The entity repeats of {@code rule} are suppressed on: its entity paths, else the event's first target. */
    public static String suppressionEntity(Rule rule, EventView view) {
        List<String> paths = rule.entityPaths().isEmpty() ? TARGETS : rule.entityPaths();
        for (String path : paths) {
            String v = view.text(path);
            if (v != null) {
                return v;
            }
        }
        return "";
    }

    /**
     * The instances an SSM call reaches: StartSession's {@code target}, SendCommand's {@code instanceIds} and its
     * {@code targets} of key {@code InstanceIds} (tag and resource-group targets name no instance and are left out); EC2
     * instances to {@code ec2}, managed instances to {@code managed}.
     */
    private static void ssmTargets(EventView view, Set<String> ec2, Set<String> managed) {
        if (!"ssm.amazonaws.com".equals(view.event().getEventSource())) {
            return;
        }
        Set<String> named = new LinkedHashSet<>();
        texts(view, "requestParameters.target", named);
        texts(view, "requestParameters.instanceIds", named);
        for (JsonNode target : view.values("requestParameters.targets")) {
            if ("InstanceIds".equals(target.path("key").asText()) || "InstanceIds".equals(target.path("Key").asText())) {
                JsonNode values = target.has("values") ? target.get("values") : target.path("Values");
                values.forEach(v -> named.add(v.asText()));
            }
        }
        for (String id : named) {
            if (INSTANCE_SESSION.matcher(id).matches()) {
                ec2.add(id);
            } else if (MANAGED_INSTANCE.matcher(id).matches()) {
                managed.add(id);
            }
        }
    }

    private static void texts(EventView view, String path, Set<String> out) {
        view.values(path).forEach(n -> {
            if (n.isValueNode() && !n.asText().isEmpty()) {
                out.add(n.asText());
            }
        });
    }

    private static void addIfPresent(Set<String> set, String value) {
        if (value != null && !value.isEmpty()) {
            set.add(value);
        }
    }
}
