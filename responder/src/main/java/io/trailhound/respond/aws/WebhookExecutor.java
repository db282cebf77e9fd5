package io.trailhound.respond.aws;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.trailhound.respond.plan.PlannedStep;
import io.trailhound.respond.runbook.AwsAction;

/** Posts an incident's summary (the step's {@code Summary} parameter, JSON) to the configured webhook. */
public final class WebhookExecutor implements StepExecutor {

    /** Parameter carrying the JSON summary the responder fills in just before the step runs. */
    public static final String SUMMARY = "Summary";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public Set<AwsAction> awsActions() {
        return Set.of();
    }

    @Override
    public StepOutcome execute(PlannedStep step, AwsClients aws) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(step.step().resource()))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(step.step().parameters().getOrDefault(SUMMARY, "{}")))
            .build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                return StepOutcome.failed(List.of(), "WebhookHttp" + response.statusCode(),
                    "the webhook answered " + response.statusCode());
            }
            return StepOutcome.executed(List.of(), null, null);
        } catch (IOException e) {
            return StepOutcome.failed(List.of(), "WebhookUnreachable", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return StepOutcome.failed(List.of(), "Interrupted", "interrupted while posting to the webhook");
        }
    }
}
