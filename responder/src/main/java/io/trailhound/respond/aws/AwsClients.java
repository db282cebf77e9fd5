package io.trailhound.respond.aws;

import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The AWS clients one runbook execution uses: EC2 and IAM in the alert's account and region, and S3 for the evidence
 * bucket (in the security account, with the responder's own credentials).
 *
 * @param ec2      EC2 in the alert's account and region
 * @param iam      IAM in the alert's account
 * @param evidence S3 client for the evidence bucket
 * @param s3       S3 in the alert's account and region, for the buckets containment acts on
 */
public record AwsClients(Ec2Client ec2, IamClient iam, S3Client evidence, S3Client s3) {
}
