package io.trailhound.demo;

import java.util.List;

import io.trailhound.avro.Alert;
import io.trailhound.avro.ChainLink;

/** Short forms of ARNs and principals for a terminal line. */
final class Names {

    private Names() {
    }

    /** {@code arn:aws:iam::111111111111:user/dana} → {@code 111111111111:user/dana}. */
    static String shortArn(String arn) {
        if (arn == null) {
            return "?";
        }
        int at = arn.indexOf("::");
        return at >= 0 ? arn.substring(at + 2) : arn;
    }

    /** The alert's principal, with where its credentials came from when they were minted: {@code role/X ← user/y}. */
    static String principal(Alert a) {
        List<ChainLink> chain = a.getChain();
        String me = a.getPrincipal() != null && a.getPrincipal().getArn() != null ? shortArn(a.getPrincipal().getArn())
            : chain.isEmpty() ? "-" : shortArn(chain.get(chain.size() - 1).getPrincipalArn());
        if (chain.size() > 1) {
            return me + " ← " + shortArn(chain.get(0).getPrincipalArn());
        }
        return me;
    }
}
