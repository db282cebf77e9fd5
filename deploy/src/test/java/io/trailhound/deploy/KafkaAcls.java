package io.trailhound.deploy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleClusterResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleType;

/**
 * What a component does on Kafka ({@link Use}: one operation on one topic, group or transactional id, with the reason) and
 * what its Strimzi {@code KafkaUser} allows ({@link Grant}: one operation of one ACL rule), and the comparison both ways: a use
 * no grant allows is a missing ACL, a grant that allows no use is an ACL nothing needs.
 */
final class KafkaAcls {

    /** Kafka ACL resource types, spelt as Strimzi's {@code resource.type}. */
    enum Resource { topic, group, transactionalId, cluster }

    /**
     * One operation a component performs. {@code prefixed}: the component uses names starting with {@code name} that are only
     * known at run time (Kafka Streams' transactional ids carry its process id).
     */
    record Use(Resource resource, String name, boolean prefixed, String operation, String why) implements Comparable<Use> {

        static List<Use> of(Resource resource, String name, String why, String... operations) {
            List<Use> uses = new ArrayList<>();
            for (String operation : operations) {
                uses.add(new Use(resource, name, false, operation, why));
            }
            return uses;
        }

        static List<Use> ofPrefix(Resource resource, String prefix, String why, String... operations) {
            List<Use> uses = new ArrayList<>();
            for (String operation : operations) {
                uses.add(new Use(resource, prefix, true, operation, why));
            }
            return uses;
        }

        @Override
        public int compareTo(Use other) {
            return toString().compareTo(other.toString());
        }

        @Override
        public String toString() {
            return resource + " " + name + (prefixed ? "*" : "") + " " + operation + " (" + why + ")";
        }
    }

    /** One operation one ACL rule of a KafkaUser allows. */
    record Grant(Resource resource, String name, boolean prefixed, String operation) implements Comparable<Grant> {

        boolean allows(Use use) {
            if (resource != use.resource() || !operation.equals(use.operation())) {
                return false;
            }
            return prefixed ? use.name().startsWith(name) : !use.prefixed() && name.equals(use.name());
        }

        @Override
        public int compareTo(Grant other) {
            return toString().compareTo(other.toString());
        }

        @Override
        public String toString() {
            return resource + " " + name + " (" + (prefixed ? "prefix" : "literal") + ") " + operation;
        }
    }

    private KafkaAcls() {
    }

    /** The grants of {@code user}'s simple authorization; deny rules and host restrictions are refused (not modelled here). */
    static List<Grant> grants(KafkaUser user) {
        String name = user.getMetadata().getName();
        if (!(user.getSpec().getAuthorization() instanceof KafkaUserAuthorizationSimple simple)) {
            throw new AssertionError("KafkaUser " + name + " has no simple authorization: its ACLs are not enforced");
        }
        List<Grant> grants = new ArrayList<>();
        for (AclRule rule : simple.getAcls()) {
            if (rule.getType() == AclRuleType.DENY) {
                throw new AssertionError("KafkaUser " + name + ": deny rules are not expected here: " + rule.getResource());
            }
            if (rule.getHost() != null && !"*".equals(rule.getHost())) {
                throw new AssertionError("KafkaUser " + name + ": host-restricted rules are not expected here");
            }
            List<AclOperation> operations = new ArrayList<>();
            if (rule.getOperations() != null) {
                operations.addAll(rule.getOperations());
            }
            if (rule.getOperation() != null) {
                operations.add(rule.getOperation());
            }
            for (AclOperation operation : operations) {
                grants.add(grant(name, rule, operation.toValue()));
            }
        }
        return grants;
    }

    private static Grant grant(String user, AclRule rule, String operation) {
        if (rule.getResource() instanceof AclRuleTopicResource topic) {
            return new Grant(Resource.topic, topic.getName(), prefix(topic.getPatternType()), operation);
        }
        if (rule.getResource() instanceof AclRuleGroupResource group) {
            return new Grant(Resource.group, group.getName(), prefix(group.getPatternType()), operation);
        }
        if (rule.getResource() instanceof AclRuleTransactionalIdResource id) {
            return new Grant(Resource.transactionalId, id.getName(), prefix(id.getPatternType()), operation);
        }
        if (rule.getResource() instanceof AclRuleClusterResource) {
            return new Grant(Resource.cluster, "kafka-cluster", false, operation);
        }
        throw new AssertionError("KafkaUser " + user + ": unknown ACL resource " + rule.getResource());
    }

    private static boolean prefix(AclResourcePatternType type) {
        return type == AclResourcePatternType.PREFIX;
    }

    /**
     * Every use no grant allows ("missing ACL") and every grant that allows none of the uses ("ACL nothing uses"), one line
     * each; empty when the user allows exactly what the component does.
     */
    static List<String> compare(String user, Collection<Use> uses, Collection<Grant> grants) {
        Set<String> problems = new TreeSet<>();
        for (Use use : uses) {
            if (grants.stream().noneMatch(g -> g.allows(use))) {
                problems.add("KafkaUser " + user + " lacks an ACL for " + use);
            }
        }
        for (Grant grant : grants) {
            if (uses.stream().noneMatch(grant::allows)) {
                problems.add("KafkaUser " + user + " allows what nothing uses: " + grant);
            }
        }
        return new ArrayList<>(problems);
    }
}
