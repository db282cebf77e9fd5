package io.trailhound.detect.lineage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.trailhound.avro.ChainLink;

/** Writes and reads a credential chain (root identity first) as compact JSON, the value of the lineage topic and store. */
public final class ChainCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ChainCodec() {
    }

    /** The chain as JSON text. */
    public static String write(List<ChainLink> chain) {
        ArrayNode array = MAPPER.createArrayNode();
        for (ChainLink link : chain) {
            ObjectNode n = array.addObject();
            n.put("principalArn", link.getPrincipalArn());
            n.put("accountId", link.getAccountId());
            n.put("accessKeyId", link.getAccessKeyId());
            n.put("mintedByEventName", link.getMintedByEventName());
            n.put("mintedByEventId", link.getMintedByEventId());
            if (link.getMintedAt() != null) {
                n.put("mintedAt", link.getMintedAt().toEpochMilli());
            }
        }
        try {
            return MAPPER.writeValueAsString(array);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The chain {@code json} holds. */
    public static List<ChainLink> read(String json) {
        try {
            List<ChainLink> chain = new ArrayList<>();
            for (JsonNode n : MAPPER.readTree(json)) {
                chain.add(ChainLink.newBuilder()
                        .setPrincipalArn(n.path("principalArn").asText())
                        .setAccountId(n.path("accountId").asText(null))
                        .setAccessKeyId(n.path("accessKeyId").asText(null))
                        .setMintedByEventName(n.path("mintedByEventName").asText(null))
                        .setMintedByEventId(n.path("mintedByEventId").asText(null))
                        .setMintedAt(n.has("mintedAt") ? Instant.ofEpochMilli(n.path("mintedAt").asLong()) : null)
                        .build());
            }
            return chain;
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable credential chain", e);
        }
    }
}
