package io.trailhound.detect.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;

import io.trailhound.detect.topology.DetectionProcessors;

/**
 * The stores the scan's pipelines share: a read at a version sees the writes before it, whichever pipeline made them, and
 * waits for the pipelines that have not got there yet; a pipeline sees its own writes of the current step at once.
 */
class SharedStoreTest {

    private static final String MINTED = DetectionProcessors.MINTED_STORE;
    private static final String LINEAGE = DetectionProcessors.LINEAGE_STORE;

    @Test
    void shouldReadAnotherPipelinesWriteFromTheNextVersionOnAndItsOwnAtOnce() {
        SharedStores stores = new SharedStores(2);
        SharedView<String> minted0 = stores.view(MINTED, 0, true);
        SharedView<String> global0 = stores.view(LINEAGE, 0, false);
        SharedView<String> minted1 = stores.view(MINTED, 1, true);
        stores.progress().set(1, 2);
        minted0.at(3);
        global0.at(3);
        minted0.put("ASIA1", "chain-1");
        assertEquals("chain-1", minted0.get("ASIA1"), "the pipeline's own write, before it is published");
        assertNull(global0.get("ASIA1"), "the global store learns it after the step, as after the lineage topic");
        minted0.publish();
        stores.progress().set(0, 3);
        minted1.at(3);
        assertNull(minted1.get("ASIA1"), "a step of the same version does not see it");
        minted1.at(4);
        assertEquals("chain-1", minted1.get("ASIA1"));
        minted1.delete("ASIA1");
        minted1.publish();
        stores.progress().set(1, 4);
        minted0.at(5);
        assertNull(minted0.get("ASIA1"), "deleted by the other pipeline");
        minted0.at(4);
        assertEquals("chain-1", minted0.get("ASIA1"), "still there before the delete's version");
    }

    @Test
    void shouldDropADeletedKeyOnceEveryReaderIsPastItsDeletion() {
        SharedStore.Progress progress = new SharedStore.Progress(2);
        SharedStore store = new SharedStore(MINTED, progress);
        for (int i = 0; i < 1000; i++) {
            store.publish(java.util.Map.of("ASIA" + i, "chain-" + i), 10L * i);
            store.publish(java.util.Collections.singletonMap("ASIA" + i, null), 10L * i + 5);
        }
        assertEquals(1000, store.keys(), "no reader is past any deletion yet: every key is still readable before it");
        assertEquals("chain-999", store.get("ASIA999", 9995));
        assertNull(store.get("ASIA999", 9996));
        // every pipeline and the incident stage past the 500th deletion
        for (int i = 0; i < 3; i++) {
            progress.set(i, 10L * 499 + 5);
        }
        store.publish(java.util.Map.of("other", "x"), 10_000);
        assertEquals(500 + 1, store.keys(), "the settled deletions are gone, the others and the new key kept");
        assertNull(store.get("ASIA0", 10_000));
        assertEquals("chain-500", store.get("ASIA500", 5001), "a deletion not yet settled keeps what is before it");
        // a deleted key written again lives on
        store.publish(java.util.Map.of("ASIA0", "again"), 10_001);
        assertEquals("again", store.get("ASIA0", 10_002));
    }

    @Test
    void shouldWaitForAPipelineThatHasNotGotThereYet() throws Exception {
        SharedStores stores = new SharedStores(2);
        SharedView<String> writer = stores.view(MINTED, 0, true);
        SharedView<String> reader = stores.view(MINTED, 1, true);
        stores.progress().set(0, 5);
        reader.at(10);
        CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> reader.get("session:s"));
        Thread.sleep(200);
        assertFalse(read.isDone(), "pipeline 0 is only at version 5: what it writes up to 9 may still come");
        writer.at(8);
        writer.put("session:s", "chain-s");
        writer.publish();
        stores.progress().set(0, 9);
        assertEquals("chain-s", read.get(10, TimeUnit.SECONDS));
    }

    @Test
    void shouldStopAWaitingReaderWhenAPipelineFails() {
        SharedStores stores = new SharedStores(2);
        SharedView<String> reader = stores.view(MINTED, 1, true);
        reader.at(10);
        stores.progress().abort(new IllegalStateException("pipeline 0 failed"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> reader.get("k"));
        assertEquals("pipeline 0 failed", e.getCause().getMessage());
    }

    @Test
    void shouldIterateWhatTheViewSeesInKeyOrderAndKeepTheLatestValueOnceEveryoneIsPast() {
        SharedStores stores = new SharedStores(1);
        SharedView<String> view = stores.view(DetectionProcessors.INSTANCE_ADDRESS_STORE, 0, true);
        for (int v = 0; v < 30; v++) {
            view.at(v);
            view.put("i|b", "seen " + v);
            if (v == 3) {
                view.put("a|x", "owner");
            }
            view.publish();
            stores.progress().set(0, v);
            stores.progress().set(1, v);
        }
        view.at(30);
        view.put("i|a", "new");
        List<String> seen = new ArrayList<>();
        try (KeyValueIterator<String, String> it = view.all()) {
            while (it.hasNext()) {
                KeyValue<String, String> kv = it.next();
                seen.add(kv.key + "=" + kv.value);
            }
        }
        assertEquals(List.of("a|x=owner", "i|a=new", "i|b=seen 29"), seen);
    }
}
