package io.trailhound.testkit.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/** What the SDK really sent to a stubbed endpoint, oldest first, found by operation name. */
public final class AwsRequestJournal {

    private final WireMockServer server;

    AwsRequestJournal(WireMockServer server) {
        this.server = server;
    }

    /** Every request received since the last reset, oldest first. */
    public List<AwsRequest> all() {
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        // WireMock lists the newest first; tests read more naturally in the order the SDK sent them.
        List<AwsRequest> requests = new ArrayList<>(events.size());
        for (int i = events.size() - 1; i >= 0; i--) {
            requests.add(AwsRequest.from(events.get(i).getRequest()));
        }
        return requests;
    }

    /** Requests calling {@code name} (Query action, JSON target or its operation part, or {@code "METHOD /path"}). */
    public List<AwsRequest> calls(String name) {
        return all().stream().filter(request -> request.isCallTo(name)).toList();
    }

    /** Requests no stub matched: usually a missing stub or a parameter the test did not expect. */
    public List<AwsRequest> unmatched() {
        return server.findAllUnmatchedRequests().stream().map(AwsRequest::from).toList();
    }

    /** Asserts {@code name} was called at least once and returns the latest such request. */
    public AwsRequest verifyCalled(String name) {
        List<AwsRequest> calls = calls(name);
        if (calls.isEmpty()) {
            throw new AssertionError("Expected a call to " + name + " but got " + describe(all()));
        }
        return calls.get(calls.size() - 1);
    }

    /** Asserts {@code name} was called exactly {@code times} times and returns those requests, oldest first. */
    public List<AwsRequest> verifyCalled(String name, int times) {
        List<AwsRequest> calls = calls(name);
        if (calls.size() != times) {
            throw new AssertionError("Expected " + times + " call(s) to " + name + " but got " + calls.size()
                + "; all requests: " + describe(all()));
        }
        return calls;
    }

    private static String describe(List<AwsRequest> requests) {
        return requests.isEmpty() ? "no requests" : requests.stream().map(AwsRequest::action).collect(Collectors.joining(", ", "[", "]"));
    }
}
