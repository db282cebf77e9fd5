#!/usr/bin/env bash
# LocalStack ready hook (mounted in /etc/localstack/init/ready.d/): the AWS side of the workstation setup.
# Creates the trail bucket with a sample CloudTrail log file under the real key layout, the SQS queues the connectors
# read (EventBridge delivery and S3 notifications) with one sample EventBridge message, and the evidence bucket with
# Object Lock. LocalStack reports the hook's completion at /_localstack/init/ready, which the compose health check reads.
set -euo pipefail
region="${AWS_DEFAULT_REGION:-us-east-1}"
account=111122223333
trail_bucket=trailhound-trail
evidence_bucket=trailhound-evidence

awslocal s3api create-bucket --bucket "${trail_bucket}" >/dev/null
awslocal s3api create-bucket --bucket "${evidence_bucket}" --object-lock-enabled-for-bucket >/dev/null
awslocal s3api put-object-lock-configuration --bucket "${evidence_bucket}" \
  --object-lock-configuration '{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"GOVERNANCE","Days":1}}}'

awslocal sqs create-queue --queue-name trailhound-cloudtrail-events >/dev/null
awslocal sqs create-queue --queue-name trailhound-trail-notifications >/dev/null

day=2026/11/28
key="AWSLogs/${account}/CloudTrail/${region}/${day}/${account}_CloudTrail_${region}_20261128T0005Z_sample.json.gz"
gzip -c /etc/localstack/sample/cloudtrail-sample.json > /tmp/trail-sample.json.gz
awslocal s3 cp /tmp/trail-sample.json.gz "s3://${trail_bucket}/${key}" >/dev/null

queue_url=$(awslocal sqs get-queue-url --queue-name trailhound-cloudtrail-events --query QueueUrl --output text)
awslocal sqs send-message --queue-url "${queue_url}" --message-body "$(cat /etc/localstack/sample/eventbridge-sample.json)" >/dev/null
echo "trailhound: seeded s3://${trail_bucket}/${key}, queues and s3://${evidence_bucket}"
