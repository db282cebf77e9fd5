package io.trailhound.testkit.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** {@link AwsEndpointExtension} as an instance field (a fresh server per test) hosting a custom WireMock transformer. */
class AwsEndpointExtensionPerTestIT {

    @RegisterExtension
    final AwsEndpointExtension aws = new AwsEndpointExtension(new MarkingTransformer());

    @Test
    void shouldStartEachTestWithAnEmptyJournal() {
        assertTrue(aws.isRunning());
        assertTrue(aws.requests().isEmpty());
    }

    @Test
    void shouldServeStubsThroughAHostedTransformer() {
        AwsOperation operation = AwsOperation.query(AwsQueryService.STS, "GetCallerIdentity");
        AwsReply reply = operation.success("<Account>123456789012</Account>");
        aws.wireMock().stubFor(operation.matcher().willReturn(reply.toResponse().withTransformers(MarkingTransformer.NAME)));

        try (StsClient sts = LocalClients.build(StsClient.builder(), aws)) {
            GetCallerIdentityResponse identity = sts.getCallerIdentity();

            assertEquals("123456789012", identity.account());
            assertEquals("yes", identity.sdkHttpResponse().firstMatchingHeader(MarkingTransformer.HEADER).orElse("no"));
        }
    }

    /** Stands in for a stateful fake's transformer: marks the responses of the stubs that ask for it. */
    static final class MarkingTransformer implements ResponseTransformerV2 {

        static final String NAME = "marking";
        static final String HEADER = "x-trailhound-transformed";

        @Override
        public Response transform(Response response, ServeEvent serveEvent) {
            return Response.Builder.like(response).but().headers(response.getHeaders().plus(new HttpHeader(HEADER, "yes"))).build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }
}
