package io.trailhound.access;

/** The statement a decision or an edge rests on: the policy's name or ARN, the statement's index in it and its Sid if any. */
public record Evidence(String policy, int statement, String sid, String effect) {

    /** {@code policy#index (Sid)}, the way the text and JSON outputs cite it. */
    @Override
    public String toString() {
        return policy + "#" + statement + (sid == null || sid.isEmpty() ? "" : " (" + sid + ")") + " " + effect;
    }
}
