package io.trailhound.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.trailhound.testkit.aws.AwsQueryService;

/**
 * The local STS and IAM endpoint of {@code trailhound bench respond}: answers the IAM-user runbook's calls the way IAM does,
 * and notes (JVM nano time) when the first request about each benchmark user arrived and when the runbook's last call did.
 */
final class RespondBenchStub implements AutoCloseable {

    /** The runbook's last AWS call for a user with no keys, SSH keys, service credentials or certificates. */
    static final String LAST_CALL = "ListSigningCertificates";

    private static final Pattern USER = Pattern.compile("UserName=(bench-user-\\d+)");
    private static final String ASSUME_ROLE = "<Credentials><AccessKeyId>ASIABENCHEXAMPLE</AccessKeyId><SecretAccessKey>benchSecret"
        + "</SecretAccessKey><SessionToken>benchToken</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>"
        + "<AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/TrailhoundResponder/trailhound-responder</Arn>"
        + "<AssumedRoleId>AROABENCH:trailhound-responder</AssumedRoleId></AssumedRoleUser>";

    private final WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").disableRequestJournal());
    private final Map<String, Long> first = new ConcurrentHashMap<>();
    private final Map<String, Long> last = new ConcurrentHashMap<>();

    RespondBenchStub() {
        server.start();
        server.addMockServiceRequestListener((request, response) -> {
            long now = System.nanoTime();
            Matcher m = USER.matcher(request.getBodyAsString());
            if (m.find()) {
                first.putIfAbsent(m.group(1), now);
                if (request.getBodyAsString().contains("Action=" + LAST_CALL)) {
                    last.put(m.group(1), now);
                }
            }
        });
        stub(AwsQueryService.STS, "AssumeRole", ASSUME_ROLE);
        stub(AwsQueryService.IAM, "ListAccessKeys", "<AccessKeyMetadata/><IsTruncated>false</IsTruncated>");
        stub(AwsQueryService.IAM, "PutUserPolicy", "");
        stub(AwsQueryService.IAM, "DeleteLoginProfile", "");
        stub(AwsQueryService.IAM, "ListSSHPublicKeys", "<SSHPublicKeys/><IsTruncated>false</IsTruncated>");
        stub(AwsQueryService.IAM, "ListServiceSpecificCredentials", "<ServiceSpecificCredentials/>");
        stub(AwsQueryService.IAM, LAST_CALL, "<Certificates/><IsTruncated>false</IsTruncated>");
        String requestId = UUID.randomUUID().toString();
        server.stubFor(post(anyUrl()).withFormParam("Action", equalTo("GetUserPolicy"))
            .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "text/xml")
                .withBody(AwsQueryService.IAM.errorBody(404, "NoSuchEntity", "no such policy", requestId))));
    }

    private void stub(AwsQueryService service, String action, String resultXml) {
        server.stubFor(post(anyUrl()).withFormParam("Action", equalTo(action)).withFormParam("Version", equalTo(service.version()))
            .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
                .withBody(service.successBody(action, resultXml, UUID.randomUUID().toString()))));
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.port();
    }

    /** When the first request about {@code user} arrived (nano time), or {@code null}. */
    Long firstRequest(String user) {
        return first.get(user);
    }

    /** Whether the runbook for {@code user} made its last call. */
    boolean finished(String user) {
        return last.containsKey(user);
    }

    @Override
    public void close() {
        server.stop();
    }
}
