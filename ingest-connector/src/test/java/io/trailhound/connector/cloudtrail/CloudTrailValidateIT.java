package io.trailhound.connector.cloudtrail;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.trailhound.testkit.aws.AwsEndpointExtension;

/** validate() reads one log file, so a trail whose objects the connector may list but not read fails at configuration time. */
class CloudTrailValidateIT {

    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension();

    private static final String FILE = "AWSLogs/o-abc123/111122223333/CloudTrail/us-east-1/2026/11/28/"
        + "111122223333_CloudTrail_us-east-1_20261128T0000Z_a.json.gz";

    @Test
    void shouldNameTheMissingKmsPermissionWhenTheFirstLogFileCannotBeRead() {
        stubListing();
        AWS.wireMock().stubFor(get(urlPathEqualTo("/trail-bucket/" + FILE)).willReturn(aResponse().withStatus(403)
            .withHeader("Content-Type", "application/xml")
            .withBody("<Error><Code>AccessDenied</Code><Message>User: arn:aws:sts::111122223333:assumed-role/connect/w is not "
                + "authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:111122223333:key/k-1</Message></Error>")));

        List<String> errors = locationErrors();

        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("s3:GetObject") && errors.get(0).contains("kms:Decrypt on resource: arn:aws:kms"),
            errors.get(0));
        assertEquals(1, AWS.wireMock().findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
            urlPathEqualTo("/trail-bucket/" + FILE))).size(), "validate read the first log file of the org trail");
    }

    @Test
    void shouldAcceptATrailWhoseFirstLogFileCanBeRead() {
        stubListing();
        AWS.wireMock().stubFor(get(urlPathEqualTo("/trail-bucket/" + FILE)).willReturn(aResponse().withStatus(200)
            .withBody(new byte[] {0x1f, (byte) 0x8b})));

        assertEquals(List.of(), locationErrors());
    }

    private static void stubListing() {
        listing("AWSLogs/", "<CommonPrefixes><Prefix>AWSLogs/o-abc123/</Prefix></CommonPrefixes>");
        listing("AWSLogs/o-abc123/", "<CommonPrefixes><Prefix>AWSLogs/o-abc123/111122223333/</Prefix></CommonPrefixes>");
        listing("AWSLogs/o-abc123/111122223333/CloudTrail/", "<Contents><Key>" + FILE + "</Key><Size>2</Size>"
            + "<LastModified>2026-11-28T00:05:00.000Z</LastModified></Contents>");
    }

    private static void listing(String prefix, String entries) {
        AWS.wireMock().stubFor(get(urlPathEqualTo("/trail-bucket/")).withQueryParam("prefix", equalTo(prefix))
            .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml")
                .withBody("<ListBucketResult><Name>trail-bucket</Name><Prefix>" + prefix + "</Prefix><IsTruncated>false"
                    + "</IsTruncated>" + entries + "</ListBucketResult>")));
        AWS.wireMock().stubFor(get(urlPathEqualTo("/trail-bucket")).withQueryParam("prefix", equalTo(prefix))
            .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml")
                .withBody("<ListBucketResult><Name>trail-bucket</Name><Prefix>" + prefix + "</Prefix><IsTruncated>false"
                    + "</IsTruncated>" + entries + "</ListBucketResult>")));
    }

    private static List<String> locationErrors() {
        Config result = new CloudTrailS3SourceConnector().validate(Map.of("location", "s3://trail-bucket/",
            "aws.region", "us-east-1", "aws.endpoint.override", AWS.endpoint().toString(), "s3.path.style.access", "true",
            "aws.access.key.id", AWS.accessKeyId(), "aws.secret.access.key", AWS.secretAccessKey()));
        ConfigValue location = result.configValues().stream().filter(v -> v.name().equals("location")).findFirst().orElseThrow();
        return location.errorMessages();
    }
}
