package io.trailhound.respond.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;

import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * Query-protocol stubs for the services the testkit's {@code AwsQueryService} does not list (SNS, Auto Scaling, Elastic
 * Load Balancing v2): the same form-encoded request and IAM-style XML envelope ({@code <XResult>} and
 * {@code <ResponseMetadata>}) these services really answer with.
 */
enum QueryStubs {

    SNS("2010-03-31", "http://sns.amazonaws.com/doc/2010-03-31/"),
    AUTO_SCALING("2011-01-01", "http://autoscaling.amazonaws.com/doc/2011-01-01/"),
    ELB("2015-12-01", "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/");

    private final String version;
    private final String xmlns;

    QueryStubs(String version, String xmlns) {
        this.version = version;
        this.xmlns = xmlns;
    }

    /** The {@code Version} form parameter of this service. */
    String version() {
        return version;
    }

    /** Answers every call of {@code action} with {@code resultXml} inside the envelope; returns the request id served. */
    String stub(WireMockServer wireMock, String action, String resultXml) {
        String requestId = UUID.randomUUID().toString();
        String result = resultXml.isBlank() ? "" : "<" + action + "Result>" + resultXml + "</" + action + "Result>";
        wireMock.stubFor(post(anyUrl()).withFormParam("Action", equalTo(action)).withFormParam("Version", equalTo(version))
            .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withHeader("x-amzn-RequestId", requestId)
                .withBody("<" + action + "Response xmlns=\"" + xmlns + "\">" + result + "<ResponseMetadata><RequestId>" + requestId
                    + "</RequestId></ResponseMetadata></" + action + "Response>")));
        return requestId;
    }
}
