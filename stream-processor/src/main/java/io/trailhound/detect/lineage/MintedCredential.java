package io.trailhound.detect.lineage;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import io.trailhound.avro.ChainLink;
import io.trailhound.avro.CloudTrailEvent;
import io.trailhound.detect.rules.EventView;
import io.trailhound.keying.PrincipalKeys;

/**
 * Temporary credentials minted by an STS call, read from its CloudTrail record: the new access key id and the identity it
 * belongs to, as the chain link it adds after its minter.
 *
 * @param accessKeyId the minted (ASIA...) key id
 * @param link        the identity the key acts as, with how and when it was minted
 * @param sessionArn  the session ARN of credentials that a console session may go on under other keys (SAML and
 *                    Identity Center console sign-ins, GetFederationToken for the federation endpoint), else null (#18)
 */
public record MintedCredential(String accessKeyId, ChainLink link, String sessionArn) {

    /** STS calls whose response carries new credentials. */
    public static final Set<String> MINTING_CALLS = Set.of("AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity",
            "GetSessionToken", "GetFederationToken");

    /** The credentials {@code view}'s event minted, if it is a successful minting call with a key id in its response. */
    public static Optional<MintedCredential> of(EventView view) {
        CloudTrailEvent e = view.event();
        if (!MINTING_CALLS.contains(e.getEventName()) || e.getErrorCode() != null) {
            return Optional.empty();
        }
        String keyId = view.text("responseElements.credentials.accessKeyId");
        if (keyId == null) {
            return Optional.empty();
        }
        String arn = switch (e.getEventName()) {
            case "GetSessionToken" -> e.getPrincipal().getArn();
            case "GetFederationToken" -> view.text("responseElements.federatedUser.arn");
            default -> view.text("requestParameters.roleArn");
        };
        if (arn == null) {
            return Optional.empty();
        }
        ChainLink link = ChainLink.newBuilder()
                .setPrincipalArn(arn)
                .setAccountId(accountOf(arn))
                .setAccessKeyId(keyId)
                .setMintedByEventName(e.getEventName())
                .setMintedByEventId(e.getEventId())
                .setMintedAt(Instant.ofEpochMilli(e.getEventTime().toEpochMilli()))
                .build();
        String session = switch (e.getEventName()) {
            case "AssumeRoleWithSAML" -> view.text("responseElements.assumedRoleUser.arn");
            case "GetFederationToken" -> arn;
            default -> null;
        };
        return Optional.of(new MintedCredential(keyId, link, session));
    }

    /** The account field of an ARN, or null. */
    static String accountOf(String arn) {
        return PrincipalKeys.accountOf(arn);
    }
}
