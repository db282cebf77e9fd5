package io.trailhound.connector.cloudtrail;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import io.trailhound.connector.AwsAuth;

/** Read access to a trail bucket or its local copy, in S3's terms: keys, '/'-delimited prefixes, ordered listing. */
public interface TrailStore extends AutoCloseable {

    /** The immediate sub-prefixes of {@code prefix} (each ending in '/'), in key order. */
    List<String> listPrefixes(String prefix) throws IOException;

    /** Up to {@code max} objects below {@code prefix} whose keys sort after {@code startAfter}, in key order. */
    List<StoredObject> list(String prefix, String startAfter, int max) throws IOException;

    /** The listing entry of one object (for resuming inside it). */
    StoredObject stat(String key) throws IOException;

    /** Opens an object's raw (compressed) content. */
    InputStream open(String key) throws IOException;

    @Override
    void close();

    /** The store behind {@code location}: S3 through a client built from {@code settings} and {@code auth}, or a local directory. */
    static TrailStore open(TrailLocation location, AwsSettings settings, AwsAuth auth) {
        return location.s3() ? new S3TrailStore(settings.s3Client(auth.provider()), location.bucket())
            : new FileTrailStore(location.root());
    }
}
