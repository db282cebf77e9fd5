package io.trailhound.detect.environment;

import java.util.Locale;

/** What a CloudTrail {@code sourceIPAddress} is, judged against AWS's published ranges. */
public enum AddressClass {
    /** No address (empty, or a value CloudTrail writes that is neither an address nor a service name). */
    NONE,
    /** An AWS service acting for the caller: a service host name ({@code ec2.amazonaws.com}) or "AWS Internal". */
    AWS_SERVICE,
    /** A private, loopback, link-local or carrier-grade NAT address: a call through a VPC endpoint or from inside a VPC. */
    PRIVATE,
    /** A public address in AWS's EC2 ranges (an instance, a NAT gateway, a Lambda function's egress). */
    AWS_EC2,
    /** A public address in AWS's ranges that is not EC2's (an AWS service's own fleet). */
    AWS,
    /** A public address outside every AWS range. */
    OUTSIDE_AWS;

    /** The rule-file name, e.g. {@code outside-aws}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
