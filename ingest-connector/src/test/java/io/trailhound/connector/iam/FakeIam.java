package io.trailhound.connector.iam;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsQueryService;
import io.trailhound.testkit.aws.AwsRequest;

/**
 * A small stateful IAM behind WireMock answering GetAccountAuthorizationDetails in the Query protocol as IAM does: XML
 * with {@code IsTruncated}/{@code Marker} paging over {@code MaxItems} entities, policy documents URL-encoded (RFC 3986:
 * a space is {@code %20}). The account is told by the request's access key id ({@link #keyOf}); an account can be made to
 * answer 403 AccessDenied, and entities can be deleted between snapshots.
 */
final class FakeIam implements ResponseDefinitionTransformerV2 {

    private static final Pattern KEY = Pattern.compile("Credential=([A-Z0-9]+)/");

    /** One entity: its list (UserDetailList, GroupDetailList, RoleDetailList, Policies), ARN and XML member body. */
    record Entity(String list, String arn, String xml) {
    }

    private final Map<String, Map<String, Entity>> accounts = new ConcurrentHashMap<>();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final AtomicInteger calls = new AtomicInteger();

    @Override
    public String getName() {
        return "fake-iam";
    }

    /** The access key id the fake reads {@code account} from: the connector signs with it (statically, or after AssumeRole). */
    static String keyOf(String account) {
        return "ASIAFAKE" + account;
    }

    /** Catches GetAccountAuthorizationDetails calls so this transformer answers them. */
    void stubOn(AwsEndpointExtension aws) {
        aws.wireMock().stubFor(post(anyUrl()).withFormParam("Action", equalTo("GetAccountAuthorizationDetails"))
            .willReturn(aResponse().withStatus(200)));
    }

    void reset() {
        accounts.clear();
        denied.clear();
        calls.set(0);
    }

    void put(String account, Entity entity) {
        accounts.computeIfAbsent(account, a -> java.util.Collections.synchronizedMap(new LinkedHashMap<>())).put(entity.arn(), entity);
    }

    void delete(String account, String arn) {
        accounts.get(account).remove(arn);
    }

    void deny(String account) {
        denied.add(account);
    }

    int calls() {
        return calls.get();
    }

    /** A user with one inline policy, in one group. */
    static Entity user(String account, String name, String inlineDocument) {
        String arn = "arn:aws:iam::" + account + ":user/" + name;
        return new Entity("UserDetailList", arn, "<Path>/</Path><UserName>" + name + "</UserName><UserId>AIDA" + name.toUpperCase()
            + "</UserId><Arn>" + arn + "</Arn><CreateDate>2024-05-01T10:00:00Z</CreateDate><UserPolicyList><member><PolicyName>inline-"
            + name + "</PolicyName><PolicyDocument>" + encode(inlineDocument) + "</PolicyDocument></member></UserPolicyList>"
            + "<GroupList><member>admins</member></GroupList><AttachedManagedPolicies/><Tags/>");
    }

    static Entity group(String account, String name) {
        String arn = "arn:aws:iam::" + account + ":group/" + name;
        return new Entity("GroupDetailList", arn, "<Path>/</Path><GroupName>" + name + "</GroupName><GroupId>AGPA" + name.toUpperCase()
            + "</GroupId><Arn>" + arn + "</Arn><CreateDate>2024-05-01T10:00:00Z</CreateDate><GroupPolicyList/>"
            + "<AttachedManagedPolicies><member><PolicyName>AdministratorAccess</PolicyName><PolicyArn>"
            + "arn:aws:iam::aws:policy/AdministratorAccess</PolicyArn></member></AttachedManagedPolicies>");
    }

    /** A role with a trust policy and a permissions boundary. */
    static Entity role(String account, String name, String trustDocument) {
        String arn = "arn:aws:iam::" + account + ":role/" + name;
        return new Entity("RoleDetailList", arn, "<Path>/</Path><RoleName>" + name + "</RoleName><RoleId>AROA" + name.toUpperCase()
            + "</RoleId><Arn>" + arn + "</Arn><CreateDate>2024-05-01T10:00:00Z</CreateDate><AssumeRolePolicyDocument>"
            + encode(trustDocument) + "</AssumeRolePolicyDocument><InstanceProfileList/><RolePolicyList/><AttachedManagedPolicies/>"
            + "<PermissionsBoundary><PermissionsBoundaryType>Policy</PermissionsBoundaryType><PermissionsBoundaryArn>"
            + "arn:aws:iam::" + account + ":policy/boundary</PermissionsBoundaryArn></PermissionsBoundary>"
            + "<RoleLastUsed><LastUsedDate>2024-06-01T08:30:00Z</LastUsedDate><Region>us-east-1</Region></RoleLastUsed>");
    }

    /** A customer-managed policy with its default version. */
    static Entity policy(String account, String name, String document) {
        String arn = "arn:aws:iam::" + account + ":policy/" + name;
        return new Entity("Policies", arn, "<PolicyName>" + name + "</PolicyName><PolicyId>ANPA" + name.toUpperCase() + "</PolicyId><Arn>"
            + arn + "</Arn><Path>/</Path><DefaultVersionId>v2</DefaultVersionId><AttachmentCount>1</AttachmentCount>"
            + "<PermissionsBoundaryUsageCount>0</PermissionsBoundaryUsageCount><IsAttachable>true</IsAttachable>"
            + "<CreateDate>2024-05-01T10:00:00Z</CreateDate><UpdateDate>2024-05-02T10:00:00Z</UpdateDate><PolicyVersionList><member>"
            + "<Document>" + encode(document) + "</Document><VersionId>v2</VersionId><IsDefaultVersion>true</IsDefaultVersion>"
            + "<CreateDate>2024-05-02T10:00:00Z</CreateDate></member></PolicyVersionList>");
    }

    /** URL-encoding as IAM does it (RFC 3986: {@code %20} for a space, {@code %2B} for a plus). */
    static String encode(String document) {
        return URLEncoder.encode(document, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        Map<String, String> params = AwsRequest.decodeForm(serveEvent.getRequest().getBodyAsString());
        if (!"GetAccountAuthorizationDetails".equals(params.get("Action"))) {
            return serveEvent.getResponseDefinition();
        }
        calls.incrementAndGet();
        Matcher key = KEY.matcher(String.valueOf(serveEvent.getRequest().getHeader("Authorization")));
        String account = key.find() && key.group(1).startsWith("ASIAFAKE") ? key.group(1).substring(8) : "";
        ResponseDefinitionBuilder response = ResponseDefinitionBuilder.responseDefinition()
            .withHeader("Content-Type", "text/xml;charset=UTF-8").withHeader("x-amzn-RequestId", UUID.randomUUID().toString());
        if (denied.contains(account)) {
            return response.withStatus(403).withBody(AwsQueryService.IAM.errorBody(403, "AccessDenied", "User: arn:aws:sts::" + account
                + ":assumed-role/trailhound-reader/s is not authorized to perform: iam:GetAccountAuthorizationDetails", "r")).build();
        }
        List<Entity> all;
        synchronized (accounts.getOrDefault(account, Map.of())) {
            all = new ArrayList<>(accounts.getOrDefault(account, Map.of()).values());
        }
        int from = params.get("Marker") == null ? 0 : Integer.parseInt(params.get("Marker").substring(5));
        int max = params.get("MaxItems") == null ? 100 : Integer.parseInt(params.get("MaxItems"));
        int to = Math.min(all.size(), from + max);
        StringBuilder xml = new StringBuilder();
        boolean truncated = to < all.size();
        xml.append("<IsTruncated>").append(truncated).append("</IsTruncated>");
        if (truncated) {
            xml.append("<Marker>page-").append(to).append("</Marker>");
        }
        for (String list : List.of("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")) {
            xml.append('<').append(list).append('>');
            all.subList(from, to).stream().filter(e -> e.list().equals(list))
                .forEach(e -> xml.append("<member>").append(e.xml()).append("</member>"));
            xml.append("</").append(list).append('>');
        }
        return response.withStatus(200).withBody(AwsQueryService.IAM.successBody("GetAccountAuthorizationDetails", xml.toString(), "r"))
            .build();
    }
}
