package io.trailhound.respond.engine;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.Alert;
import io.trailhound.avro.ApprovalDecision;
import io.trailhound.avro.ApprovalMessage;
import io.trailhound.avro.Incident;
import io.trailhound.avro.ResponseAction;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.aws.AwsClientFactory;
import io.trailhound.respond.aws.StepExecutors;
import io.trailhound.respond.plan.ResponsePlanner;
import io.trailhound.serde.RegistryCheck;
import io.trailhound.serde.SchemaRegistryClient;
import io.trailhound.signing.RecordSignature;
import io.trailhound.topic.DeadLetters;
import io.trailhound.topic.Topics;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The running responder: consumes {@code trailhound.alerts}, {@code trailhound.incidents} (chain-wide containment) and the
 * decisions on {@code trailhound.response.approvals}
 * (at least once: offsets are committed only after every step's audit record is written), runs the runbooks, and keeps
 * its action ledger on {@code trailhound.response.actions}, read back on start so a restart resumes without repeating.
 */
public final class ResponderEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResponderEngine.class);

    private final Topics topics;
    private final KafkaProducer<String, ResponseAction> actionProducer;
    private final KafkaProducer<String, ApprovalMessage> approvalProducer;
    private final KafkaProducer<byte[], byte[]> deadLetters;
    private final KafkaActionLedger ledger;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AwsClientFactory aws;
    private final AlertResponder responder;
    private final ResponderMetrics metrics;
    private final Optional<RecordSignature> alertSignatures;
    private final AtomicBoolean running = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean assigned;
    private volatile String failure;
    private Thread thread;

    /** Connects to Kafka and loads the ledger; call {@link #start()} to begin consuming. */
    public ResponderEngine(ResponderConfig config, AwsCredentialsProvider credentials, Clock clock) {
        String bootstrap = config.getString(ResponderConfig.BOOTSTRAP_SERVERS_CONFIG);
        SchemaRegistryClient registry = SchemaRegistryClient.create(config.registrySettings());
        // wrong registry credentials or an untrusted certificate fail here, with what to fix, before the ledger is read (#19)
        RegistryCheck.atStartup(registry, Topics.ALERTS + "-value");
        this.topics = new Topics(registry, config.registrySettings());
        long writeTimeout = config.getLong(ResponderConfig.KAFKA_WRITE_TIMEOUT_CONFIG);
        // a send waiting for metadata (broker gone) blocks no longer than a write may take: the engine then retries in place
        Map<String, Object> producerConfig = config.kafkaClient(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
            ProducerConfig.MAX_BLOCK_MS_CONFIG, writeTimeout));
        this.actionProducer = new KafkaProducer<>(producerConfig, topics.actions().keySerde().serializer(),
            topics.actions().valueSerde().serializer());
        this.approvalProducer = new KafkaProducer<>(producerConfig, topics.approvals().keySerde().serializer(),
            topics.approvals().valueSerde().serializer());
        this.deadLetters = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        Duration approvalTimeout = Duration.ofMillis(config.getLong(ResponderConfig.APPROVAL_TIMEOUT_CONFIG));
        // nothing older than the staleness bound is acted on, nor approved after the timeout: the ledger needs no more
        Duration retention = (config.staleness().compareTo(approvalTimeout) > 0 ? config.staleness() : approvalTimeout)
            .plus(Duration.ofHours(1));
        this.ledger = KafkaActionLedger.load(topics.actions(), actionProducer, config.kafkaClient(Map.of()), retention, clock)
            .writeTimeout(Duration.ofMillis(writeTimeout));
        this.metrics = new ResponderMetrics(() -> ledger.count(ActionStatus.AWAITING_APPROVAL));
        this.aws = new AwsClientFactory(config.awsSettings(), credentials, metrics::awsCall);
        ResponsePlanner planner = ResponsePlanner.from(config);
        planner.restoreCircuitBreaker(ledger.loaded());
        this.responder = new AlertResponder(planner,
            StepExecutors.standard(config.runbookSettings(), config.protectedInstanceTags())
                .persistingThrough(config.awsThrottleBudget()), aws::clientsFor, ledger,
            new KafkaApprovalGate(topics.approvals(), approvalProducer),
            new AlertResponder.Settings(config.dryRun(), Duration.ofMillis(config.getLong(ResponderConfig.APPROVAL_TIMEOUT_CONFIG)),
                config.getString(ResponderConfig.ROLE_NAME_CONFIG), config.decisionCheck()), clock, metrics);
        this.alertSignatures = config.alertSignatures();
        if (alertSignatures.isEmpty()) {
            LOG.warn("{}=false: alerts and incidents are acted on whoever wrote them (development only)",
                ResponderConfig.ALERTS_REQUIRE_SIGNATURE_CONFIG);
        }
        if (!config.getBoolean(ResponderConfig.APPROVALS_REQUIRE_SIGNATURE_CONFIG)) {
            LOG.warn("{}=false: unsigned approval decisions are applied as named (development only)",
                ResponderConfig.APPROVALS_REQUIRE_SIGNATURE_CONFIG);
        }
        this.consumer = new KafkaConsumer<>(consumerSettings(config, bootstrap), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * The alert consumer's settings; with {@code responder.group.instance.id} a static member (#17): a restarted instance (a
     * kill, an OOM kill, a liveness restart of the container) takes its partitions back on joining, instead of waiting for the
     * killed member's session to time out.
     */
    static Map<String, Object> consumerSettings(ResponderConfig config, String bootstrap) {
        Map<String, Object> settings = new HashMap<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG, config.getString(ResponderConfig.GROUP_ID_CONFIG),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50));
        String instance = config.getString(ResponderConfig.GROUP_INSTANCE_ID_CONFIG);
        if (!instance.isBlank()) {
            settings.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instance);
        }
        return config.kafkaClient(settings);
    }

    /** Starts consuming on a thread of its own. */
    public synchronized void start() {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        consumer.subscribe(List.of(topics.alerts().name(), topics.incidents().name(), topics.approvals().name()));
        thread = new Thread(this::run, "trailhound-responder");
        thread.start();
    }

    /** The metrics, for {@code /metrics}. */
    public ResponderMetrics metrics() {
        return metrics;
    }

    /** Whether the consumer has partitions assigned (the readiness signal). */
    public boolean isReady() {
        return running.get() && assigned;
    }

    /**
     * Why the responder can no longer do its job (liveness fails, the pod is restarted), or empty while it can: its consumer
     * thread ended on a failure that is not transient (#17).
     */
    public Optional<String> problem() {
        return Optional.ofNullable(failure);
    }

    private void run() {
        int retries = 0;
        try {
            while (running.get()) {
                try {
                    pollOnce();
                    retries = 0;
                } catch (KafkaException e) {
                    if (e instanceof WakeupException || !isTransient(e)) {
                        throw e;
                    }
                    // a broker restart, a coordinator move, a request timeout: nothing was committed, so the batch is read
                    // again from the committed offsets once Kafka answers; the ledger keeps what was already done from repeating
                    retries++;
                    metrics.kafkaRetry();
                    Duration wait = backoff(retries);
                    LOG.warn("Kafka failed while handling a batch ({}); retrying in {} ms (attempt {})", e.toString(), wait.toMillis(),
                        retries);
                    sleep(wait);
                    rewind();
                }
            }
        } catch (WakeupException e) {
            LOG.debug("responder consumer woken up to stop");
        } catch (RuntimeException e) {
            failure = "consumer thread ended: " + e;
            LOG.error("responder stopped: {}; uncommitted alerts are redelivered on restart, liveness now fails", e.toString(), e);
        } finally {
            running.set(false);
            // a static member leaves too when it stops: a replacement with another name need not wait for its session to end
            consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            stopped.countDown();
        }
    }

    private void pollOnce() {
        // audit records of steps done while Kafka was unavailable are written before any further offset is committed
        ledger.flush();
        var records = consumer.poll(Duration.ofMillis(500));
        assigned = !consumer.assignment().isEmpty();
        if (!records.isEmpty()) {
            // another instance may have acted on these alerts or requested these approvals (a rebalance moved them)
            ledger.catchUp();
        }
        for (ConsumerRecord<byte[], byte[]> record : records) {
            handle(record);
        }
        if (!records.isEmpty()) {
            consumer.commitSync();
        }
    }

    /** A failure Kafka recovers from by itself: a retriable error anywhere in the cause chain, or a failed commit (rebalance). */
    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RetriableException || t instanceof CommitFailedException
                || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** 0.5 s doubled per attempt, at most 30 s. */
    static Duration backoff(int attempt) {
        return Duration.ofMillis(Math.min(30_000L, 500L << Math.min(attempt - 1, 6)));
    }

    private void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    /** Moves every assigned partition back to its committed offset, so the failed batch is handled again. */
    private void rewind() {
        try {
            var assignment = consumer.assignment();
            var committed = consumer.committed(assignment, Duration.ofSeconds(10));
            for (TopicPartition partition : assignment) {
                OffsetAndMetadata offset = committed.get(partition);
                if (offset != null) {
                    consumer.seek(partition, offset);
                } else {
                    consumer.seekToBeginning(List.of(partition));
                }
            }
        } catch (KafkaException e) {
            if (!isTransient(e)) {
                throw e;
            }
            // still unreachable: the next poll fails again and comes back here after a longer wait
            LOG.debug("cannot rewind yet: {}", e.toString());
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        try {
            dispatch(record);
        } catch (SerializationException e) {
            // a record nobody can read must not stop the responder: it goes to the dead-letter topic with the reason
            LOG.warn("unreadable record {}-{}@{} dead-lettered: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
            deadLetter(record, "unreadable " + kindOf(record.topic()) + ": "
                + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"));
        } catch (KafkaException e) {
            // Kafka itself failed (audit or ledger write): stop without committing, so the record is redelivered
            throw e;
        } catch (RuntimeException e) {
            // a readable record this code cannot handle would fail again on every restart: a crash loop that blocks every
            // later alert of the partition; it goes to the dead-letter topic (steps already taken stay in the ledger)
            LOG.error("record {}-{}@{} could not be handled, dead-lettered: {}", record.topic(), record.partition(), record.offset(),
                e.toString(), e);
            deadLetter(record, "could not be handled: " + e);
        }
    }

    private String kindOf(String topic) {
        return topic.equals(topics.alerts().name()) ? "alert" : topic.equals(topics.incidents().name()) ? "incident" : "approval message";
    }

    /** Writes {@code record} as it came to the dead-letter topic with the reason and its origin (before the offset commit). */
    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {
        ProducerRecord<byte[], byte[]> dead = new ProducerRecord<>(topics.deadLetter().name(), record.key(), record.value());
        dead.headers().add(DeadLetters.REASON, reason.getBytes(StandardCharsets.UTF_8))
            .add(DeadLetters.COMPONENT, "responder".getBytes(StandardCharsets.UTF_8))
            .add(DeadLetters.LOCATION, ("kafka://" + record.topic() + "/" + record.partition() + "/" + record.offset())
                .getBytes(StandardCharsets.UTF_8))
            .add(DeadLetters.SOURCE_TOPIC, record.topic().getBytes(StandardCharsets.UTF_8))
            .add(DeadLetters.SOURCE_OFFSET, (record.partition() + ":" + record.offset()).getBytes(StandardCharsets.UTF_8));
        try {
            deadLetters.send(dead).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering " + record.topic() + "@" + record.offset(), e);
        } catch (ExecutionException | TimeoutException e) {
            // Kafka's failure: retried in place like any other (the record is handled again, then dead-lettered)
            throw new KafkaException("cannot dead-letter " + record.topic() + "@" + record.offset(),
                e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e);
        }
    }

    private void dispatch(ConsumerRecord<byte[], byte[]> record) {
        if (record.topic().equals(topics.alerts().name())) {
            Alert alert = topics.alerts().valueSerde().deserializer().deserialize(record.topic(), record.value());
            Optional<String> untrusted = untrusted(record);
            if (untrusted.isPresent()) {
                responder.refuseUntrusted("alert", new AuditRecords.Claimed(alert.getIncidentId(), alert.getAlertId(),
                    alert.getAccountId(), alert.getRegion()), origin(record), untrusted.get());
                return;
            }
            List<ResponseAction> written = responder.respond(alert);
            LOG.info("alert {} ({}) handled: {} action record(s)", alert.getAlertId(), alert.getRuleId(), written.size());
            return;
        }
        if (record.topic().equals(topics.incidents().name())) {
            Incident incident = topics.incidents().valueSerde().deserializer().deserialize(record.topic(), record.value());
            Optional<String> untrusted = untrusted(record);
            if (untrusted.isPresent()) {
                responder.refuseUntrusted("incident", new AuditRecords.Claimed(incident.getIncidentId(), null,
                    String.join(",", incident.getAccountIds()), String.join(",", incident.getRegions())), origin(record),
                    untrusted.get());
                return;
            }
            List<ResponseAction> written = responder.respond(incident);
            LOG.info("incident {} ({}) handled: {} action record(s)", incident.getIncidentId(), incident.getSeverity(), written.size());
            return;
        }
        ApprovalMessage message = topics.approvals().valueSerde().deserializer().deserialize(record.topic(), record.value());
        if (message.getBody() instanceof ApprovalDecision decision) {
            List<ResponseAction> written = responder.decide(decision);
            LOG.info("decision {} on {} by {}: {} action record(s)", decision.getDecision(), decision.getActionId(),
                decision.getApprover(), written.size());
        }
    }

    /** Why an alert or incident record is not the detection pipeline's (#19), or empty when it is, or when no check is required. */
    private Optional<String> untrusted(ConsumerRecord<byte[], byte[]> record) {
        return alertSignatures.flatMap(check -> check.refusal(record.topic(), record.value(), record.headers()));
    }

    private static String origin(ConsumerRecord<byte[], byte[]> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    @Override
    public void close() throws InterruptedException {
        if (running.getAndSet(false)) {
            consumer.wakeup();
            if (!stopped.await(30, TimeUnit.SECONDS)) {
                LOG.warn("responder thread did not stop within 30 s");
            }
        } else if (thread == null) {
            consumer.close();
        }
        actionProducer.close(Duration.ofSeconds(10));
        approvalProducer.close(Duration.ofSeconds(10));
        deadLetters.close(Duration.ofSeconds(10));
        ledger.close();
        aws.close();
    }
}
