package io.trailhound.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.trailhound.avro.Alert;
import io.trailhound.testkit.SchemaRegistryExtension;

/**
 * Several clients registering the same schema under a new subject at the same moment — the stream threads of one application
 * starting together — all get its id. The real registry answers all but the first creation of a subject with 409 ("already
 * exists"), which a serializer must not take for an incompatible schema (it killed a two-thread detection application).
 */
class ConcurrentRegistrationIT {

    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();

    private static final int CLIENTS = 6;

    @Test
    void shouldGiveEveryConcurrentFirstRegistrationTheSameId() throws Exception {
        Schema schema = Alert.getClassSchema();
        // one registration first, so the rounds race on subject creation rather than on a registry still warming up
        SchemaRegistryClient.create(RestSchemaRegistryClientTest.config(REGISTRY.url(), 2)).register("warm-up-value", schema);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            for (int round = 0; round < 5; round++) {
                String subject = "concurrent-" + round + "-value";
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> ids = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    SchemaRegistryClient client = SchemaRegistryClient.create(RestSchemaRegistryClientTest.config(REGISTRY.url(), 2));
                    ids.add(pool.submit(() -> {
                        start.await();
                        return client.register(subject, schema);
                    }));
                }
                start.countDown();
                Set<Integer> distinct = new HashSet<>();
                for (Future<Integer> id : ids) {
                    distinct.add(id.get(60, TimeUnit.SECONDS));
                }
                assertEquals(1, distinct.size(), "one id for one schema under " + subject + ": " + distinct);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
