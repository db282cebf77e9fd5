package io.trailhound.connector;

/**
 * One call the connectors make to AWS (or to a local trail copy standing in for S3), named the way an operator fixes it:
 * the service and operation, the exact resource, the IAM action it needs, the policy resource to grant it on, and the
 * setting that names the resource.
 */
public record AwsCall(String service, String operation, String permission, String resource, String grantOn, String setting) {

    /** An S3 call on {@code bucket}; {@code key} is an object key (or a listing prefix when {@code list}). */
    public static AwsCall s3(String operation, String bucket, String key, String setting) {
        boolean list = operation.startsWith("List");
        String bucketArn = "arn:aws:s3:::" + bucket;
        return new AwsCall("S3", operation, list ? "s3:ListBucket" : "s3:GetObject",
            list ? bucketArn : bucketArn + "/" + key, list ? bucketArn : bucketArn + "/*", setting);
    }

    /** A read of a local trail copy ({@code file:///...}); {@code list} for a directory listing. */
    public static AwsCall localFile(boolean list, String path, String setting) {
        return new AwsCall("local trail copy", list ? "list" : "read", "read access", path, path, setting);
    }

    /** An SQS call on {@code queueUrl} (named by {@code setting}). */
    public static AwsCall sqs(String operation, String queueUrl, String setting) {
        return new AwsCall("SQS", operation, "sqs:" + operation, queueUrl, queueUrl, setting);
    }

    /** A GuardDuty call in {@code region}, on {@code detector} (null for ListDetectors). */
    public static AwsCall guardDuty(String operation, String region, String detector) {
        String arn = "arn:aws:guardduty:" + region + ":<account>:detector" + (detector == null ? "" : "/" + detector);
        return new AwsCall("GuardDuty", operation, "guardduty:" + operation, arn,
            detector == null ? "arn:aws:guardduty:" + region + ":<account>:detector/*" : arn,
            detector == null ? "regions" : "detector.ids");
    }

    /** An IAM call reading {@code account} (IAM is global: the account's whole authorization details). */
    public static AwsCall iam(String operation, String account) {
        return new AwsCall("IAM", operation, "iam:" + operation, "account " + account, "*", "accounts");
    }

    /** An Organizations call on {@code target} (an account, OU, root or policy id), made with the organizations role. */
    public static AwsCall organizations(String operation, String target) {
        return new AwsCall("Organizations", operation, "organizations:" + operation, target, "*", "organizations.role.arn");
    }

    /** Whether the call reads one object (a missing one is then that object's problem, not the task's). */
    public boolean objectRead() {
        return "GetObject".equals(operation) || "HeadObject".equals(operation) || "read".equals(operation);
    }

    /** E.g. "S3 GetObject on arn:aws:s3:::trail/AWSLogs/...". */
    public String describe() {
        return service + " " + operation + " on " + resource;
    }
}
