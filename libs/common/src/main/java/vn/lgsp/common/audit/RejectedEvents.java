package vn.lgsp.common.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Events audit refuses as invalid (HTTP 400: audit validates a batch all or nothing and names each bad field as
 * {@code events[i].field}). Sent again they would be refused again, and the batch — then the whole backlog behind
 * it — would never be delivered: one malformed record, e.g. from a version skew during a rolling upgrade, would end
 * in the gateway refusing every call. So they are set aside, with audit's problem, in {@code rejected.jsonl} beside
 * the spool (or in the log, without a spool), counted, and the rest of the batch is sent again.
 * <p>
 * Bounded: once {@code maxBytes} have been set aside, nothing more is, and refused batches are retried as before —
 * a flood of invalid records is a defect to fix, not something to file away without limit.
 */
final class RejectedEvents {

    private static final Logger LOG = Logger.getLogger(RejectedEvents.class);
    private static final Pattern EVENT_INDEX = Pattern.compile("^events\\[(\\d+)]");
    static final String FILE = "rejected.jsonl";

    private final ObjectMapper mapper;
    private final Optional<Path> file;
    private final long maxBytes;
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile boolean fullReported;

    RejectedEvents(ObjectMapper mapper, Optional<Path> spoolDir, long maxBytes) {
        this.mapper = mapper;
        this.file = spoolDir.map(d -> d.resolve(FILE));
        this.maxBytes = maxBytes;
        file.ifPresent(f -> {
            try {
                if (Files.exists(f)) {
                    bytes.set(Files.size(f)); // what earlier runs set aside counts against the bound
                }
            } catch (IOException e) {
                LOG.warnf("Cannot read the size of %s: %s", f, e);
            }
        });
    }

    long count() {
        return events.get();
    }

    /**
     * Takes the events audit's problem names out of the batch (all of them if it names none), sets them aside and
     * returns the batch without them (same completion: once audit accepts the rest, the whole batch is done); null
     * when nothing can be set aside (bound reached, or the batch is not readable), so the caller retries as before.
     */
    synchronized Backlog.Batch setAside(Backlog.Batch batch, String problem) {
        ArrayNode all;
        try {
            all = (ArrayNode) mapper.readTree(batch.body()).get("events");
        } catch (IOException | RuntimeException e) {
            return null;
        }
        TreeSet<Integer> bad = new TreeSet<>();
        JsonNode problemJson;
        try {
            problemJson = mapper.readTree(problem == null ? "{}" : problem);
        } catch (IOException e) {
            problemJson = mapper.createObjectNode().put("detail", String.valueOf(problem));
        }
        for (JsonNode err : problemJson.path("errors")) {
            Matcher m = EVENT_INDEX.matcher(err.path("field").asText());
            if (m.find() && Integer.parseInt(m.group(1)) < all.size()) {
                bad.add(Integer.parseInt(m.group(1)));
            }
        }
        if (bad.isEmpty()) {
            for (int i = 0; i < all.size(); i++) {
                bad.add(i); // audit said why, but not which: the whole batch
            }
        }
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        ArrayNode rest = mapper.createArrayNode();
        List<String> ids = new ArrayList<>();
        String at = Instant.now().toString();
        for (int i = 0; i < all.size(); i++) {
            if (!bad.contains(i)) {
                rest.add(all.get(i));
                continue;
            }
            ids.add(all.get(i).path("eventId").asText());
            ObjectNode line = mapper.createObjectNode();
            line.put("rejectedAt", at);
            line.set("problem", problemJson);
            line.set("event", all.get(i));
            try {
                lines.write(mapper.writeValueAsBytes(line));
            } catch (IOException e) {
                return null;
            }
            lines.write('\n');
        }
        if (bytes.get() + lines.size() > maxBytes) {
            if (!fullReported) {
                fullReported = true;
                LOG.errorf("audit refuses events as invalid and %d bytes of them are already set aside (the bound): "
                        + "the refused batch is retried and the backlog waits behind it until audit accepts it. "
                        + "Latest problem: %s", bytes.get(), problemJson);
            }
            return null;
        }
        if (file.isPresent()) {
            try {
                Files.write(file.get(), lines.toByteArray(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                LOG.errorf("Cannot set refused audit events aside in %s (%s); the batch is retried", file.get(), e);
                return null;
            }
            LOG.errorf("audit refused %d of %d audit events as invalid (%s); set aside in %s (event ids %s), the rest is "
                    + "sent again", bad.size(), all.size(), problemJson, file.get(), ids);
        } else {
            // No spool directory: the log is the only place left to keep them (audit metadata, never payloads).
            LOG.errorf("audit refused %d of %d audit events as invalid (%s); the rest is sent again. The refused "
                    + "events:%n%s", bad.size(), all.size(), problemJson, lines.toString(StandardCharsets.UTF_8));
        }
        bytes.addAndGet(lines.size());
        events.addAndGet(bad.size());
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(mapper.createObjectNode().set("events", rest));
        } catch (IOException e) {
            return null;
        }
        return new Backlog.Batch(body, rest.size(), batch.onAccepted());
    }
}
