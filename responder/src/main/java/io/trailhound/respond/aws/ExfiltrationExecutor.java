package io.trailhound.respond.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.trailhound.respond.plan.PlannedStep;
import io.trailhound.respond.runbook.AwsAction;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateVolumePermission;
import software.amazon.awssdk.services.ec2.model.ImageAttributeName;
import software.amazon.awssdk.services.ec2.model.LaunchPermission;
import software.amazon.awssdk.services.ec2.model.SnapshotAttributeName;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Stops data leaving: records a bucket's policy, blocks all public access to the bucket, and removes every sharing of an
 * EBS snapshot or AMI (public and per account), recording what was shared for rollback.
 */
public final class ExfiltrationExecutor implements StepExecutor {

    private final Set<String> trustedAccounts;

    /** An executor removing every sharing except with {@code trustedAccounts}. */
    public ExfiltrationExecutor(Set<String> trustedAccounts) {
        this.trustedAccounts = Set.copyOf(trustedAccounts);
    }

    /** An executor removing every sharing. */
    public ExfiltrationExecutor() {
        this(Set.of());
    }

    private static final PublicAccessBlockConfiguration BLOCK_ALL = PublicAccessBlockConfiguration.builder()
        .blockPublicAcls(true).ignorePublicAcls(true).blockPublicPolicy(true).restrictPublicBuckets(true).build();

    @Override
    public Set<AwsAction> awsActions() {
        // S3 authorizes GetPublicAccessBlock and PutPublicAccessBlock as s3:GetBucketPublicAccessBlock / s3:PutBucketPublicAccessBlock
        return Set.of(AwsAction.S3_GET_BUCKET_POLICY, AwsAction.S3_GET_BUCKET_PUBLIC_ACCESS_BLOCK,
            AwsAction.S3_PUT_BUCKET_PUBLIC_ACCESS_BLOCK, AwsAction.EC2_DESCRIBE_SNAPSHOT_ATTRIBUTE,
            AwsAction.EC2_MODIFY_SNAPSHOT_ATTRIBUTE, AwsAction.EC2_DESCRIBE_IMAGE_ATTRIBUTE, AwsAction.EC2_MODIFY_IMAGE_ATTRIBUTE);
    }

    @Override
    public StepOutcome execute(PlannedStep step, AwsClients aws) {
        Map<String, String> p = step.step().parameters();
        RequestIds ids = new RequestIds();
        return switch (step.step().action()) {
            case S3_GET_BUCKET_POLICY -> recordPolicy(aws.s3(), p.get("Bucket"), ids);
            case S3_PUT_BUCKET_PUBLIC_ACCESS_BLOCK -> blockPublicAccess(aws.s3(), p.get("Bucket"), ids);
            case EC2_MODIFY_SNAPSHOT_ATTRIBUTE -> unshareSnapshot(aws.ec2(), p.get("SnapshotId"), ids);
            case EC2_MODIFY_IMAGE_ATTRIBUTE -> unshareImage(aws.ec2(), p.get("ImageId"), ids);
            default -> throw new IllegalArgumentException("not an exfiltration action: " + step.step().action());
        };
    }

    private static StepOutcome recordPolicy(S3Client s3, String bucket, RequestIds ids) {
        try {
            String policy = ids.record(s3.getBucketPolicy(r -> r.bucket(bucket))).policy();
            return StepOutcome.executed(ids.all(), Json.object("bucketPolicy", List.of(policy)), null);
        } catch (S3Exception e) {
            if ("NoSuchBucketPolicy".equals(e.awsErrorDetails().errorCode())) {
                return StepOutcome.alreadyDone(List.of(e.requestId()), Json.object("bucketPolicy", List.of()), "the bucket has no policy");
            }
            throw e;
        }
    }

    private static StepOutcome blockPublicAccess(S3Client s3, String bucket, RequestIds ids) {
        PublicAccessBlockConfiguration current = null;
        try {
            current = ids.record(s3.getPublicAccessBlock(r -> r.bucket(bucket))).publicAccessBlockConfiguration();
        } catch (S3Exception e) {
            if (!"NoSuchPublicAccessBlockConfiguration".equals(e.awsErrorDetails().errorCode())) {
                throw e;
            }
        }
        if (BLOCK_ALL.equals(current)) {
            return StepOutcome.alreadyDone(ids.all(), null, "public access to the bucket is already blocked");
        }
        ids.record(s3.putPublicAccessBlock(r -> r.bucket(bucket).publicAccessBlockConfiguration(BLOCK_ALL)));
        String before = current == null ? "none" : current.toString();
        return StepOutcome.executed(ids.all(), Json.object("publicAccessBlockBefore", List.of(before)),
            Json.object("undo", List.of(current == null ? "DeletePublicAccessBlock" : "PutPublicAccessBlock " + before)));
    }

    private StepOutcome unshareSnapshot(Ec2Client ec2, String snapshotId, RequestIds ids) {
        List<CreateVolumePermission> shared = ids.record(ec2.describeSnapshotAttribute(r -> r.snapshotId(snapshotId)
            .attribute(SnapshotAttributeName.CREATE_VOLUME_PERMISSION))).createVolumePermissions().stream()
            .filter(permission -> permission.userId() == null || !trustedAccounts.contains(permission.userId())).toList();
        if (shared.isEmpty()) {
            return StepOutcome.alreadyDone(ids.all(), null, "the snapshot is not shared (beyond trusted accounts)");
        }
        ids.record(ec2.modifySnapshotAttribute(r -> r.snapshotId(snapshotId).attribute(SnapshotAttributeName.CREATE_VOLUME_PERMISSION)
            .createVolumePermission(c -> c.remove(shared))));
        List<String> removed = new ArrayList<>();
        shared.forEach(s -> removed.add(s.groupAsString() != null ? "group:" + s.groupAsString() : "account:" + s.userId()));
        return StepOutcome.executed(ids.all(), Json.object("unshared", removed),
            Json.object("undo", List.of("ModifySnapshotAttribute createVolumePermission add"), "unshared", removed));
    }

    private StepOutcome unshareImage(Ec2Client ec2, String imageId, RequestIds ids) {
        List<LaunchPermission> shared = ids.record(ec2.describeImageAttribute(r -> r.imageId(imageId)
            .attribute(ImageAttributeName.LAUNCH_PERMISSION))).launchPermissions().stream()
            .filter(permission -> permission.userId() == null || !trustedAccounts.contains(permission.userId())).toList();
        if (shared.isEmpty()) {
            return StepOutcome.alreadyDone(ids.all(), null, "the image is not shared (beyond trusted accounts)");
        }
        ids.record(ec2.modifyImageAttribute(r -> r.imageId(imageId).launchPermission(l -> l.remove(shared))));
        List<String> removed = new ArrayList<>();
        shared.forEach(s -> removed.add(s.groupAsString() != null ? "group:" + s.groupAsString()
            : s.userId() != null ? "account:" + s.userId() : "organization:" + s.organizationArn() + s.organizationalUnitArn()));
        return StepOutcome.executed(ids.all(), Json.object("unshared", removed),
            Json.object("undo", List.of("ModifyImageAttribute launchPermission add"), "unshared", removed));
    }
}
