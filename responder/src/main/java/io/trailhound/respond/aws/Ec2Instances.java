package io.trailhound.respond.aws;

import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Tag;

/** Reads the instance a step acts on. */
final class Ec2Instances {

    private Ec2Instances() {
    }

    /** The instance, recording the request id; AWS answers an unknown id with {@code InvalidInstanceID.NotFound}. */
    static Instance describe(Ec2Client ec2, String instanceId, RequestIds ids) {
        return ids.record(ec2.describeInstances(r -> r.instanceIds(instanceId))).reservations().stream()
            .flatMap(reservation -> reservation.instances().stream())
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("EC2 returned no instance " + instanceId));
    }

    /** The value of tag {@code key} on {@code instance}. */
    static Optional<String> tag(Instance instance, String key) {
        return instance.tags().stream().filter(tag -> key.equals(tag.key())).map(Tag::value).findFirst();
    }

    /** The first of {@code protecting} (key to value) that {@code instance} carries, as {@code key=value}. */
    static Optional<String> protectingTag(Instance instance, Map<String, String> protecting) {
        return protecting.entrySet().stream()
            .filter(entry -> tag(instance, entry.getKey()).filter(entry.getValue()::equals).isPresent())
            .map(entry -> entry.getKey() + "=" + entry.getValue())
            .findFirst();
    }
}
