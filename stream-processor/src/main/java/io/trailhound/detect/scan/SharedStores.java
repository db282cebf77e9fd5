package io.trailhound.detect.scan;

import java.util.Map;

import io.trailhound.detect.topology.DetectionProcessors;

/**
 * The stores the scan's pipelines share ({@link SharedStore}) and how far each pipeline has gone: the credential lineage,
 * which both the minted-keys store (a task's own writes, read first) and the global lineage store see, and the instance
 * addresses.
 */
final class SharedStores {

    private final SharedStore.Progress progress;
    private final SharedStore lineage;
    private final SharedStore instances;

    /** Stores for {@code pipelines} pipelines and the incident stage. */
    SharedStores(int pipelines) {
        this.progress = new SharedStore.Progress(pipelines);
        this.lineage = new SharedStore(DetectionProcessors.LINEAGE_STORE, progress);
        this.instances = new SharedStore(DetectionProcessors.INSTANCE_ADDRESS_STORE, progress);
    }

    /** Whether the principal's stage store {@code name} is shared rather than the pipeline's own. */
    static boolean isShared(String name) {
        return DetectionProcessors.MINTED_STORE.equals(name) || DetectionProcessors.INSTANCE_ADDRESS_STORE.equals(name);
    }

    SharedStore.Progress progress() {
        return progress;
    }

    /** Pipeline {@code index}'s view of store {@code name} (the incident stage's index: the number of pipelines). */
    <V> SharedView<V> view(String name, int index, boolean writable) {
        SharedStore store = Map.of(DetectionProcessors.MINTED_STORE, lineage, DetectionProcessors.LINEAGE_STORE, lineage,
                DetectionProcessors.INSTANCE_ADDRESS_STORE, instances).get(name);
        if (store == null) {
            throw new IllegalArgumentException("not a shared store: " + name);
        }
        return new SharedView<>(name, store, progress, index, writable);
    }
}
