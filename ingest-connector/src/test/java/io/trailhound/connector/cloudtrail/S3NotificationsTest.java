package io.trailhound.connector.cloudtrail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class S3NotificationsTest {

    private static final String KEY = "logs/AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01/a+b%3D.json.gz";
    private static final String DIRECT = "{\"Records\":["
        + created("trail", KEY) + ","
        + "{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectRemoved:Delete\",\"s3\":{\"bucket\":{\"name\":\"trail\"},"
        + "\"object\":{\"key\":\"x\"}}},"
        + created("other", "y") + "]}";

    @Test
    void shouldReadCreatedKeysOfTheBucketDecoded() throws Exception {
        assertEquals(List.of("logs/AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01/a b=.json.gz"),
            S3Notifications.createdKeys(DIRECT, "trail"));
    }

    @Test
    void shouldUnwrapSnsNotifications() throws Exception {
        String sns = "{\"Type\":\"Notification\",\"MessageId\":\"m\",\"Message\":" + quote(DIRECT) + "}";

        assertEquals(1, S3Notifications.createdKeys(sns, "trail").size());
    }

    @Test
    void shouldIgnoreTestEventsAndRejectOtherMessages() throws Exception {
        assertEquals(List.of(), S3Notifications.createdKeys("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\"}", "trail"));
        assertThrows(MalformedTrailFileException.class, () -> S3Notifications.createdKeys("{\"detail\":{}}", "trail"));
        assertThrows(MalformedTrailFileException.class, () -> S3Notifications.createdKeys("[1]", "trail"));
        assertThrows(MalformedTrailFileException.class, () -> S3Notifications.createdKeys("{oops", "trail"));
    }

    private static String created(String bucket, String key) {
        return "{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"" + bucket + "\"},"
            + "\"object\":{\"key\":\"" + key + "\"}}}";
    }

    private static String quote(String json) {
        return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
