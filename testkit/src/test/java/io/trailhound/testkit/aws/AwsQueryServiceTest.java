package io.trailhound.testkit.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The Query-protocol envelopes, byte for byte, as EC2, IAM and STS write them. */
class AwsQueryServiceTest {

    @Test
    void shouldPutEc2RequestIdInsideTheResponseElement() {
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<ModifyInstanceAttributeResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                + "<requestId>r-1</requestId><return>true</return></ModifyInstanceAttributeResponse>",
            AwsQueryService.EC2.successBody("ModifyInstanceAttribute", "<return>true</return>", "r-1"));
    }

    @Test
    void shouldWrapIamResultAndMetadata() {
        assertEquals("<ListAccessKeysResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                + "<ListAccessKeysResult><IsTruncated>false</IsTruncated></ListAccessKeysResult>"
                + "<ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></ListAccessKeysResponse>",
            AwsQueryService.IAM.successBody("ListAccessKeys", "<IsTruncated>false</IsTruncated>", "r-2"));
    }

    @Test
    void shouldOmitResultElementForOperationsWithoutOutput() {
        assertEquals("<UpdateAccessKeyResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                + "<ResponseMetadata><RequestId>r-3</RequestId></ResponseMetadata></UpdateAccessKeyResponse>",
            AwsQueryService.IAM.successBody("UpdateAccessKey", "", "r-3"));
    }

    @Test
    void shouldWriteEc2ErrorsWithRequestIdAndEscapedMessage() {
        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error>"
                + "<Code>InvalidInstanceID.NotFound</Code><Message>The instance ID &apos;i-1&apos; &lt;gone&gt;</Message>"
                + "</Error></Errors><RequestID>r-4</RequestID></Response>",
            AwsQueryService.EC2.errorBody(400, "InvalidInstanceID.NotFound", "The instance ID 'i-1' <gone>", "r-4"));
    }

    @Test
    void shouldBlameReceiverForServerErrorsInStsErrors() {
        assertEquals("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Receiver</Type>"
                + "<Code>ServiceUnavailable</Code><Message>Try later</Message></Error><RequestId>r-5</RequestId></ErrorResponse>",
            AwsQueryService.STS.errorBody(503, "ServiceUnavailable", "Try later", "r-5"));
    }
}
