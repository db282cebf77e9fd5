package io.trailhound.connector.cloudtrail;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/** A trail bucket read through S3 ListObjectsV2 (with {@code StartAfter}, never a full rescan) and GetObject. */
public final class S3TrailStore implements TrailStore {

    private final S3Client s3;
    private final String bucket;

    /** A store over {@code bucket}; the store closes the client. */
    public S3TrailStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public List<String> listPrefixes(String prefix) {
        List<String> prefixes = new ArrayList<>();
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page = s3.listObjectsV2(r -> r.bucket(bucket).prefix(prefix).delimiter("/")
                .continuationToken(continuation));
            page.commonPrefixes().stream().map(CommonPrefix::prefix).forEach(prefixes::add);
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return prefixes;
    }

    @Override
    public List<StoredObject> list(String prefix, String startAfter, int max) {
        ListObjectsV2Response page = s3.listObjectsV2(r -> r.bucket(bucket).prefix(prefix).startAfter(startAfter).maxKeys(max));
        List<StoredObject> objects = new ArrayList<>(page.contents().size());
        for (S3Object object : page.contents()) {
            objects.add(new StoredObject(object.key(), object.size(), object.lastModified()));
        }
        return objects;
    }

    @Override
    public StoredObject stat(String key) {
        HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key(key));
        return new StoredObject(key, head.contentLength(), head.lastModified());
    }

    @Override
    public InputStream open(String key) {
        return s3.getObject(r -> r.bucket(bucket).key(key));
    }

    @Override
    public void close() {
        s3.close();
    }
}
