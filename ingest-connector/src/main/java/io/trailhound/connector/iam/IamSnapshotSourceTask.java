package io.trailhound.connector.iam;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.trailhound.connector.AwsAuth;
import io.trailhound.connector.AwsRetries;
import io.trailhound.connector.ConnectorVersion;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.organizations.OrganizationsClient;

/**
 * Task of the IAM snapshot source: an {@link IamSnapshotReader} thread calls IAM and Organizations and fills a bounded
 * queue; {@link #poll()} hands out what is there within half a second (no AWS call on the poll thread) and fails the task
 * with the reader's reason once it stopped on a permanent error; {@link #stop()} ends the reader within five seconds.
 */
public class IamSnapshotSourceTask extends SourceTask {

    private static final Logger LOG = LoggerFactory.getLogger(IamSnapshotSourceTask.class);
    private static final long POLL_WAIT_MS = 500;
    private static final long STOP_WAIT_MS = 5_000;
    private static final int BUFFER = 1_000;

    private final List<IamSnapshotReader.Account> accounts = new ArrayList<>();
    private Optional<AwsAuth> organizationsAuth = Optional.empty();
    private OrganizationsClient organizations;
    private BlockingQueue<SourceRecord> buffer;
    private IamSnapshotReader reader;
    private Thread thread;

    @Override
    public String version() {
        return ConnectorVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        IamSnapshotSourceConfig config = new IamSnapshotSourceConfig(props);
        config.openCredentials().forEach((account, auth) ->
            accounts.add(new IamSnapshotReader.Account(account, config.iamClient(auth.provider()), auth)));
        organizationsAuth = config.openOrganizationsCredentials();
        organizations = organizationsAuth.map(auth -> config.organizationsClient(auth.provider())).orElse(null);
        AwsRetries retries = new AwsRetries("IAM snapshot source", config.retry()).registerIn(context.pluginMetrics());
        buffer = new ArrayBlockingQueue<>(BUFFER);
        reader = new IamSnapshotReader(config, accounts, organizations, context.offsetStorageReader(), buffer, retries,
            Clock.systemUTC());
        thread = new Thread(reader, "trailhound-iam-snapshots");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        SourceRecord first = buffer.poll(POLL_WAIT_MS, TimeUnit.MILLISECONDS);
        if (first == null) {
            String failure = reader.failure().orElse(null);
            if (failure != null) {
                throw new ConnectException(failure);
            }
            return null;
        }
        List<SourceRecord> records = new ArrayList<>(buffer.size() + 1);
        records.add(first);
        buffer.drainTo(records);
        return records;
    }

    @Override
    public void stop() {
        if (reader != null) {
            reader.stop();
            thread.interrupt();
            try {
                thread.join(STOP_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("IAM snapshot reader thread did not stop within {} ms", STOP_WAIT_MS);
            }
        }
        accounts.forEach(account -> {
            account.iam().close();
            account.auth().close();
        });
        accounts.clear();
        if (organizations != null) {
            organizations.close();
        }
        organizationsAuth.ifPresent(AwsAuth::close);
    }
}
