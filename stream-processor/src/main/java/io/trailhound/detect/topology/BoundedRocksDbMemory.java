package io.trailhound.detect.topology;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of every RocksDB store of the process by one budget ({@value #MEMORY_BYTES_CONFIG}, default
 * {@value #DEFAULT_MEMORY_BYTES} bytes). Left to Kafka Streams' defaults, each store instance (a store per task: about 50 in
 * this topology at 6 partitions) has its own 50 MB block cache and up to three 16 MB memtables, and keeps the index and
 * filter blocks of all its files outside any cache, so resident memory grows with the state on disk until the container's
 * limit kills the process. Here all stores share one block cache of the budget's size; the memtables are charged to it (at
 * most {@value #MEMTABLE_SHARE} of it, then RocksDB flushes the largest), and so are index and filter blocks, kept in its
 * high-priority pool ({@value #INDEX_FILTER_SHARE} of it) with the top level of each pinned.
 *
 * <p>The cache and the write-buffer manager live as long as the process: a store's {@link #close} runs before its database
 * closes, so they cannot be released with the last store. One pair per distinct budget (a test running several applications
 * with different budgets in one JVM gets one each).
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

    /** Off-heap bytes all RocksDB stores of the process share: block cache, memtables, index and filter blocks. */
    public static final String MEMORY_BYTES_CONFIG = "trailhound.rocksdb.memory.bytes";
    public static final long DEFAULT_MEMORY_BYTES = 256L * 1024 * 1024;
    /** Smallest budget accepted: below it RocksDB flushes memtables of a few KB and reads every block from disk. */
    static final long MIN_MEMORY_BYTES = 8L * 1024 * 1024;
    static final double MEMTABLE_SHARE = 0.5;
    static final double INDEX_FILTER_SHARE = 0.1;

    private static final Map<Long, Shared> SHARED = new ConcurrentHashMap<>();

    static {
        RocksDB.loadLibrary();
    }

    private record Shared(Cache cache, WriteBufferManager writeBuffers) {
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Shared shared = SHARED.computeIfAbsent(budget(configs), bytes -> {
            Cache cache = new LRUCache(bytes, -1, false, INDEX_FILTER_SHARE);
            return new Shared(cache, new WriteBufferManager((long) (bytes * MEMTABLE_SHARE), cache));
        });
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(shared.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(shared.writeBuffers());
    }

    @Override
    public void close(String storeName, Options options) {
        // the shared cache and write-buffer manager outlive every store (see the class comment)
    }

    /** The budget {@code configs} sets, or the default; a clear error for one that is not a number of bytes or too small. */
    static long budget(Map<String, ?> configs) {
        Object value = configs.get(MEMORY_BYTES_CONFIG);
        if (value == null) {
            return DEFAULT_MEMORY_BYTES;
        }
        long bytes;
        try {
            bytes = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(MEMORY_BYTES_CONFIG, value, "not a number of bytes");
        }
        if (bytes < MIN_MEMORY_BYTES) {
            throw new ConfigException(MEMORY_BYTES_CONFIG, value, "at least " + MIN_MEMORY_BYTES + " bytes (8 MiB)");
        }
        return bytes;
    }
}
