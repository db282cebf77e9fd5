package io.trailhound.respond.runbook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;

/**
 * Data exfiltration: blocks public access on every bucket the alert names (recording the bucket policy first), removes the
 * sharing of snapshots and AMIs it names, contains the actor's credentials, and, after approval, reverts the bucket policy
 * (to the prior one the alert's evidence carries, else without public and foreign statements) and ACL.
 */
public final class DataExfiltration implements Runbook {

    public static final String ID = "data-exfiltration";
    /** Key in {@code Entities.other} listing shared EBS snapshot ids (before {@code Entities.snapshotIds}). */
    public static final String SNAPSHOT_IDS = "snapshotIds";
    /** Key in {@code Entities.other} listing shared AMI ids. */
    public static final String IMAGE_IDS = "imageIds";

    private final RunbookSettings settings;
    private final IamUserCompromise user;
    private final RoleSessionCompromise role;

    public DataExfiltration(RunbookSettings settings) {
        this.settings = settings;
        this.user = new IamUserCompromise(settings);
        this.role = new RoleSessionCompromise(settings);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Step> plan(Alert alert, Instant now) {
        List<Step> evidence = new ArrayList<>();
        List<Step> containment = new ArrayList<>();
        List<Step> revert = new ArrayList<>();
        for (String bucket : alert.getEntities().getBuckets()) {
            String arn = "arn:" + Arns.partition(alert) + ":s3:::" + bucket;
            evidence.add(Step.of("record-bucket-policy-" + bucket, Phase.EVIDENCE, AwsAction.S3_GET_BUCKET_POLICY, arn,
                Map.of("Bucket", bucket)));
            containment.add(Step.of("block-public-access-" + bucket, Phase.CONTAINMENT, AwsAction.S3_PUT_BUCKET_PUBLIC_ACCESS_BLOCK, arn,
                Map.of("Bucket", bucket, "BlockPublicAcls", "true", "IgnorePublicAcls", "true", "BlockPublicPolicy", "true",
                    "RestrictPublicBuckets", "true")));
            revert.addAll(revertSteps(alert, bucket, arn));
        }
        for (String snapshot : ids(alert.getEntities().getSnapshotIds(), SNAPSHOT_IDS, alert)) {
            containment.add(Step.of("unshare-snapshot-" + snapshot, Phase.CONTAINMENT, AwsAction.EC2_MODIFY_SNAPSHOT_ATTRIBUTE,
                "arn:" + Arns.partition(alert) + ":ec2:" + alert.getRegion() + "::snapshot/" + snapshot,
                Map.of("SnapshotId", snapshot, "Attribute", "createVolumePermission", "OperationType", "remove", "Group", "all")));
        }
        for (String image : ids(alert.getEntities().getImageIds(), IMAGE_IDS, alert)) {
            containment.add(Step.of("unshare-image-" + image, Phase.CONTAINMENT, AwsAction.EC2_MODIFY_IMAGE_ATTRIBUTE,
                "arn:" + Arns.partition(alert) + ":ec2:" + alert.getRegion() + "::image/" + image,
                Map.of("ImageId", image, "Attribute", "launchPermission", "OperationType", "remove", "Group", "all")));
        }
        List<Step> actor = actorContainment(alert, now);
        List<Step> steps = new ArrayList<>(evidence);
        actor.stream().filter(s -> s.phase() == Phase.EVIDENCE).forEach(steps::add);
        steps.addAll(containment);
        actor.stream().filter(s -> s.phase() == Phase.CONTAINMENT).forEach(steps::add);
        steps.addAll(revert);
        actor.stream().filter(s -> s.phase() == Phase.NOTIFY).forEach(steps::add);
        steps.addAll(Notification.steps(settings, ID));
        return List.copyOf(steps);
    }

    /**
     * The approved reverts of a bucket's policy and ACL: the prior policy when the alert's evidence carries it (JSON
     * {@code priorBucketPolicy}, or {@code priorBucketPolicies} by bucket), else the public and foreign statements removed.
     */
    private static List<Step> revertSteps(Alert alert, String bucket, String arn) {
        Map<String, String> policy = new HashMap<>(Map.of("Bucket", bucket));
        EvidencePolicies.prior(alert, bucket).ifPresentOrElse(prior -> policy.put("PriorPolicy", prior),
            () -> policy.put("Revert", "remove public and foreign-account statements"));
        return List.of(
            new Step("revert-bucket-policy-" + bucket, Phase.CONTAINMENT, AwsAction.S3_PUT_BUCKET_POLICY, arn, policy, false, true),
            new Step("revert-bucket-acl-" + bucket, Phase.CONTAINMENT, AwsAction.S3_PUT_BUCKET_ACL, arn,
                Map.of("Bucket", bucket, "Revert", "remove grants to AllUsers and AuthenticatedUsers"), false, true));
    }

    /** The ids of the schema field, plus any still listed in {@code entities.other[key]} by older producers. */
    private static List<String> ids(List<String> field, String key, Alert alert) {
        Set<String> ids = new LinkedHashSet<>(field);
        ids.addAll(alert.getEntities().getOther().getOrDefault(key, List.of()));
        return List.copyOf(ids);
    }

    /** The actor's credential containment, without its own notification step. */
    private List<Step> actorContainment(Alert alert, Instant now) {
        Principal principal = alert.getPrincipal();
        if (principal == null || principal.getType() == PrincipalType.Unknown) {
            return List.of();
        }
        Runbook credentials = principal.getType() == PrincipalType.AssumedRole ? role : user;
        return credentials.plan(alert, now).stream()
            .filter(s -> s.phase() != Phase.NOTIFY || s.action() == AwsAction.TRAILHOUND_ESCALATE_TO_HUMAN)
            .toList();
    }
}
