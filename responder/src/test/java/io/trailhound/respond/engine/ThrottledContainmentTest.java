package io.trailhound.respond.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.ResponseAction;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.TestAlerts;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsOperation;
import io.trailhound.testkit.aws.AwsQueryService;
import io.trailhound.testkit.aws.AwsReply;

/**
 * #17: AWS throttles the key deactivation longer than the SDK retries (3 attempts here): the step is run again while the
 * throttling lasts, within responder.aws.throttle.budget.ms, instead of becoming a final FAILED that leaves the key active.
 */
class ThrottledContainmentTest {

    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension();

    /** Eight throttled answers (three SDK attempts per run: the step is run three times), then success. */
    private static void stub() {
        EngineFixtures.stubIamUser(AWS, "mallory", "AKIAEXAMPLEKEY1");
        AwsOperation update = AwsOperation.query(AwsQueryService.IAM, "UpdateAccessKey");
        List<AwsReply> replies = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            replies.add(update.error(400, "Throttling", "Rate exceeded"));
        }
        replies.add(update.success(""));
        AWS.stubSequence(update, replies.toArray(AwsReply[]::new));
    }

    @Test
    void shouldDeactivateTheKeyOnceTheThrottlingEnds() {
        stub();
        try (LocalResponder local = new LocalResponder(AWS, null, Map.of(ResponderConfig.AWS_THROTTLE_BUDGET_CONFIG, "30000"))) {
            ResponseAction deactivate = deactivation(local.responder.respond(TestAlerts.iamUser().build()));
            assertEquals(ActionStatus.EXECUTED, deactivate.getStatus(), deactivate.toString());
            assertEquals(9, AWS.requests("UpdateAccessKey").size(), "eight throttled calls, then the one that worked");
        }
    }

    @Test
    void shouldRecordTheFailureWhenTheThrottlingOutlastsTheBudget() {
        stub();
        try (LocalResponder local = new LocalResponder(AWS, null, Map.of(ResponderConfig.AWS_THROTTLE_BUDGET_CONFIG, "0"))) {
            ResponseAction deactivate = deactivation(local.responder.respond(TestAlerts.iamUser().build()));
            assertEquals(ActionStatus.FAILED, deactivate.getStatus());
            assertEquals("Throttling", deactivate.getErrorCode());
            assertEquals(3, AWS.requests("UpdateAccessKey").size(), "the SDK's attempts only");
        }
    }

    private static ResponseAction deactivation(List<ResponseAction> records) {
        return records.stream().filter(r -> r.getAwsAction().equals("iam:UpdateAccessKey")).findFirst().orElseThrow();
    }
}
