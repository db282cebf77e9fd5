package io.trailhound.respond.aws;

import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The AWS clients one runbook execution uses: the services of the alert's account and region, and S3 for the evidence
 * bucket (in the security account, with the responder's own credentials).
 *
 * @param ec2         EC2 in the alert's account and region
 * @param iam         IAM in the alert's account
 * @param evidence    S3 client for the evidence bucket
 * @param s3          S3 in the alert's account and region, for the buckets containment acts on
 * @param autoScaling EC2 Auto Scaling in the alert's account and region
 * @param elb         Elastic Load Balancing v2 (target groups) in the alert's account and region
 * @param ssm         Systems Manager in the alert's account and region (memory capture)
 * @param sns         SNS in the notification topic's region, with the responder's own credentials
 */
public record AwsClients(Ec2Client ec2, IamClient iam, S3Client evidence, S3Client s3, AutoScalingClient autoScaling,
                         ElasticLoadBalancingV2Client elb, SsmClient ssm, SnsClient sns) {
}
