package io.trailhound.respond.aws;

import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.awscore.AwsResponse;

/** Collects the AWS request ids of the calls one step makes, in call order. */
final class RequestIds {

    private final List<String> ids = new ArrayList<>();

    /** Records the request id of {@code response} and returns the response. */
    <R extends AwsResponse> R record(R response) {
        String id = response.responseMetadata().requestId();
        if (id != null && !"UNKNOWN".equals(id)) {
            ids.add(id);
        }
        return response;
    }

    /** The ids so far. */
    List<String> all() {
        return List.copyOf(ids);
    }
}
