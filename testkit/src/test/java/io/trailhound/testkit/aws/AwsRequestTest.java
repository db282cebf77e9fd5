package io.trailhound.testkit.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Decoding and naming of recorded requests, without a server. */
class AwsRequestTest {

    @Test
    void shouldDecodeQueryFormInOrderSent() {
        Map<String, String> params = AwsRequest.decodeForm("Action=ModifyInstanceAttribute&Version=2016-11-15"
            + "&InstanceId=i-1&DisableApiTermination.Value=true&Tag.1.Value=a%20b%2Bc%3D");

        assertEquals(List.of("Action", "Version", "InstanceId", "DisableApiTermination.Value", "Tag.1.Value"),
            List.copyOf(params.keySet()));
        assertEquals("true", params.get("DisableApiTermination.Value"));
        assertEquals("a b+c=", params.get("Tag.1.Value"));
    }

    @Test
    void shouldMatchJsonTargetByFullNameOrOperation() {
        AwsRequest request = new AwsRequest("POST", "/", "AmazonSQS.ReceiveMessage", Map.of(), "{}",
            Map.of("x-amz-target", List.of("AmazonSQS.ReceiveMessage")));

        assertTrue(request.isCallTo("AmazonSQS.ReceiveMessage"));
        assertTrue(request.isCallTo("ReceiveMessage"));
        assertFalse(request.isCallTo("DeleteMessage"));
        assertEquals("AmazonSQS.ReceiveMessage", request.header("X-Amz-Target"));
    }

    @Test
    void shouldEscapeJsonErrorBodies() {
        assertEquals("{\"__type\":\"Throttling\",\"message\":\"say \\\"no\\\"\\n\\u0001\"}",
            JsonText.error("Throttling", "say \"no\"\n\u0001"));
    }
}
