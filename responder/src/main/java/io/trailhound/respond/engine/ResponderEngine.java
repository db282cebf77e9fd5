package io.trailhound.respond.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.Alert;
import io.trailhound.avro.ApprovalDecision;
import io.trailhound.avro.ApprovalMessage;
import io.trailhound.avro.ResponseAction;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.aws.AwsClientFactory;
import io.trailhound.respond.aws.StepExecutors;
import io.trailhound.respond.plan.ResponsePlanner;
import io.trailhound.topic.Topics;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The running responder: consumes {@code trailhound.alerts} and the decisions on {@code trailhound.response.approvals}
 * (at least once: offsets are committed only after every step's audit record is written), runs the runbooks, and keeps
 * its action ledger on {@code trailhound.response.actions}, read back on start so a restart resumes without repeating.
 */
public final class ResponderEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResponderEngine.class);

    private final Topics topics;
    private final KafkaProducer<String, ResponseAction> actionProducer;
    private final KafkaProducer<String, ApprovalMessage> approvalProducer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AwsClientFactory aws;
    private final AlertResponder responder;
    private final ResponderMetrics metrics;
    private final AtomicBoolean running = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean assigned;
    private Thread thread;

    /** Connects to Kafka and loads the ledger; call {@link #start()} to begin consuming. */
    public ResponderEngine(ResponderConfig config, AwsCredentialsProvider credentials, Clock clock) {
        String bootstrap = config.getString(ResponderConfig.BOOTSTRAP_SERVERS_CONFIG);
        this.topics = new Topics(Map.of("schema.registry.url", config.getString(ResponderConfig.SCHEMA_REGISTRY_URL_CONFIG)));
        Map<String, Object> producerConfig = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.actionProducer = new KafkaProducer<>(producerConfig, topics.actions().keySerde().serializer(),
            topics.actions().valueSerde().serializer());
        this.approvalProducer = new KafkaProducer<>(producerConfig, topics.approvals().keySerde().serializer(),
            topics.approvals().valueSerde().serializer());
        KafkaActionLedger ledger = KafkaActionLedger.load(topics.actions(), actionProducer, bootstrap);
        this.metrics = new ResponderMetrics(() -> ledger.count(ActionStatus.AWAITING_APPROVAL));
        this.aws = new AwsClientFactory(config.awsSettings(), credentials);
        this.responder = new AlertResponder(ResponsePlanner.from(config),
            StepExecutors.standard(config.runbookSettings(), config.protectedInstanceTags()), aws::clientsFor, ledger,
            new KafkaApprovalGate(topics.approvals(), approvalProducer),
            new AlertResponder.Settings(config.dryRun(), Duration.ofMillis(config.getLong(ResponderConfig.APPROVAL_TIMEOUT_CONFIG)),
                config.getString(ResponderConfig.ROLE_NAME_CONFIG)), clock, metrics);
        this.consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG, config.getString(ResponderConfig.GROUP_ID_CONFIG),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Starts consuming on a thread of its own. */
    public synchronized void start() {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        consumer.subscribe(List.of(topics.alerts().name(), topics.approvals().name()));
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

    private void run() {
        try {
            while (running.get()) {
                var records = consumer.poll(Duration.ofMillis(500));
                assigned = !consumer.assignment().isEmpty();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    handle(record);
                }
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            LOG.debug("responder consumer woken up to stop");
        } catch (RuntimeException e) {
            LOG.error("responder stopped: {}; uncommitted alerts are redelivered on restart", e.toString(), e);
        } finally {
            running.set(false);
            consumer.close();
            stopped.countDown();
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        try {
            dispatch(record);
        } catch (SerializationException e) {
            // a record nobody can read must not stop the responder; it stays on its topic for inspection
            LOG.warn("skipped unreadable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
        }
    }

    private void dispatch(ConsumerRecord<byte[], byte[]> record) {
        if (record.topic().equals(topics.alerts().name())) {
            Alert alert = topics.alerts().valueSerde().deserializer().deserialize(record.topic(), record.value());
            List<ResponseAction> written = responder.respond(alert);
            LOG.info("alert {} ({}) handled: {} action record(s)", alert.getAlertId(), alert.getRuleId(), written.size());
            return;
        }
        ApprovalMessage message = topics.approvals().valueSerde().deserializer().deserialize(record.topic(), record.value());
        if (message.getBody() instanceof ApprovalDecision decision) {
            List<ResponseAction> written = responder.decide(decision);
            LOG.info("decision {} on {} by {}: {} action record(s)", decision.getDecision(), decision.getActionId(),
                decision.getApprover(), written.size());
        }
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
        aws.close();
    }
}
