package io.trailhound.demo.month;

import java.time.Instant;
import java.util.List;

/**
 * AWS services working in the organization on their own behalf: AWS Config's recorder describing resources in every
 * account through its service-linked role, CloudTrail checking its bucket's ACL before delivering (an AWSService caller),
 * and AWS Backup's nightly EBS snapshots of production through its service role, deleting the expired ones.
 */
final class AwsServices implements Activity {

    private static final String LOG_BUCKET = "northwind-org-cloudtrail";
    private static final List<String[]> CONFIG = List.of(new String[] {"ec2", "DescribeInstances"},
        new String[] {"ec2", "DescribeSecurityGroups"}, new String[] {"ec2", "DescribeNetworkInterfaces"},
        new String[] {"iam", "GetRole"}, new String[] {"s3", "GetBucketAcl"}, new String[] {"config", "PutEvaluations"});

    private final Draw draw;

    AwsServices(long seed) {
        this.draw = new Draw(seed, "aws-services");
    }

    @Override
    public void day(Day day) {
        for (int hour = 0; hour < 24; hour += 3) {
            for (String account : Org.ACCOUNTS) {
                Instant t = day.at(hour * 60 + draw.nextInt(100));
                Who config = Sts.session(draw, account, "AWSServiceRoleForConfig", "AWSConfig-Describe", t.minusSeconds(900));
                for (String[] call : CONFIG) {
                    t = t.plusMillis(draw.between(200, 3000));
                    day.add(new Call(config, t, call[0] + ".amazonaws.com", call[1]).from("config.amazonaws.com",
                        "config.amazonaws.com"), draw);
                }
            }
        }
        for (int hour = 0; hour < 24; hour++) {
            day.add(new Call(Who.service("cloudtrail.amazonaws.com"), day.at(hour * 60 + draw.nextInt(60)), "s3.amazonaws.com",
                "GetBucketAcl").recipient(Org.SECURITY).request(Json.of("bucketName", LOG_BUCKET, "Host",
                    LOG_BUCKET + ".s3.us-east-1.amazonaws.com", "acl", ""))
                .resource("AWS::S3::Bucket", "arn:aws:s3:::" + LOG_BUCKET, Org.SECURITY), draw);
        }
        backup(day, day.at(5 * 60 + draw.nextInt(30)));
    }

    private void backup(Day day, Instant t) {
        Who backup = Sts.session(draw, Org.PROD, "AWSBackupDefaultServiceRole", "AWSBackup-AWSBackupDefaultServiceRole", t);
        for (String volume : List.of("vol-0a1b2c3d4e5f60718", "vol-0b2c3d4e5f6071829")) {
            String snapshot = "snap-0" + draw.hex(16);
            day.add(new Call(backup, t, "ec2.amazonaws.com", "CreateSnapshot").from("backup.amazonaws.com", "backup.amazonaws.com")
                .request(Json.of("volumeId", volume, "description", "This snapshot is created by the AWS Backup service."))
                .response(Json.of("requestId", draw.uuid(), "snapshotId", snapshot, "volumeId", volume, "status", "pending",
                    "ownerId", Org.PROD, "volumeSize", 100, "encrypted", true)), draw);
            day.add(new Call(backup, t.plusSeconds(2), "ec2.amazonaws.com", "CreateTags").from("backup.amazonaws.com",
                "backup.amazonaws.com").request(Json.of("resourcesSet", Json.items(Json.of("resourceId", snapshot)),
                    "tagSet", Json.items(Json.of("key", "aws:backup:source-resource", "value", volume)))), draw);
            day.add(new Call(backup, t.plusSeconds(40), "ec2.amazonaws.com", "DeleteSnapshot").from("backup.amazonaws.com",
                "backup.amazonaws.com").request(Json.of("snapshotId", "snap-0" + draw.hex(16))), draw);
        }
    }
}
