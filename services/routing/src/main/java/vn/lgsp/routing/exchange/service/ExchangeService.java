package vn.lgsp.routing.exchange.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import vn.lgsp.common.access.AccessLevel;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.common.httpsig.ContentDigest;
import vn.lgsp.common.httpsig.SignatureException;
import vn.lgsp.common.id.Uuids;
import vn.lgsp.common.problem.Problem.FieldError;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.common.time.ProvinceCalendar;
import vn.lgsp.common.web.RequestIds;
import vn.lgsp.routing.config.RoutingConfig;
import vn.lgsp.routing.exchange.domain.Envelope;
import vn.lgsp.routing.exchange.domain.EnvelopeRequest;
import vn.lgsp.routing.exchange.domain.Party;
import vn.lgsp.routing.exchange.repository.EnvelopeRepository;
import vn.lgsp.routing.snapshot.domain.Route;
import vn.lgsp.routing.snapshot.domain.Snapshot;
import vn.lgsp.routing.gateway.ProblemWriter;
import vn.lgsp.routing.snapshot.domain.Subscription;
import vn.lgsp.routing.snapshot.service.SnapshotHolder;

/**
 * The eight steps of REQUIREMENTS X5 (Vĩnh Long Art. 11) as one state machine:
 * <pre>
 * awaiting-upload --upload (source)--> ready --accept (recipient)--> accepted --confirm (recipient)--> delivered
 *        |  cancel (source), expiry        |  reject (recipient)          |  reject, cancel, expiry
 *        v                                 v                              v
 *   cancelled / expired               rejected / cancelled / expired
 * </pre>
 * Who may send to whom is the subscription model of the synchronous gateway: the source must hold an active
 * subscription (in its period of use) to the service version it addresses, whose provider receives. Every change is
 * one transaction with the notice the other party is told (NOTIFY, so every replica's event streams hear it), and
 * every call is an audit record ({@code mode=async}) with sizes and SHA-256 digests, never the content. The content is
 * deleted the moment the envelope is finished; the status is kept for the history retention.
 */
@ApplicationScoped
public class ExchangeService {

    private static final Logger LOG = Logger.getLogger(ExchangeService.class);
    private static final String BASE = "/api/v1/exchanges";

    @Inject
    EnvelopeRepository repository;

    @Inject
    SnapshotHolder snapshots;

    @Inject
    RoutingConfig config;

    @Inject
    AuditPublisher publisher;

    @Inject
    MeterRegistry meters;

    /** An opened envelope, and whether it was opened by an earlier request with the same idempotency key. */
    public record Opened(Envelope envelope, boolean replayed) {
    }

    /**
     * Step 2: the exchange request; the platform validates it and allocates the space (maxBytes) for the upload.
     * With an {@code idempotencyKey} (the source's own, per environment): the envelope that key already opened is
     * answered again if the request is the same (a retry after a lost answer opens nothing new), and a different
     * request under a used key is refused (422 Idempotency-Key/sameRequest). Two requests racing with one key open one
     * envelope: the unique index decides, the loser answers the winner's.
     */
    public Uni<Opened> create(Party caller, EnvelopeRequest body, String idempotencyKey) {
        long started = System.nanoTime();
        requireAuditRoom();
        if (idempotencyKey == null) {
            return open(caller, body, null, null, started).map(e -> new Opened(e, false));
        }
        String fingerprint = fingerprint(body);
        return keyed(caller, idempotencyKey).chain(prior -> {
            if (prior != null) {
                return Uni.createFrom().item(replay(caller, prior, fingerprint, started));
            }
            return open(caller, body, idempotencyKey, fingerprint, started).chain(e -> {
                if (e != null) {
                    return Uni.createFrom().item(new Opened(e, false));
                }
                // Another request with this key committed first: answer its envelope.
                return keyed(caller, idempotencyKey).map(won -> replay(caller, won, fingerprint, started));
            });
        });
    }

    private Uni<EnvelopeRepository.Keyed> keyed(Party caller, String idempotencyKey) {
        return repository.findByIdempotencyKey(repository.pool(), caller.system(), caller.environment(), idempotencyKey);
    }

    private Opened replay(Party caller, EnvelopeRepository.Keyed prior, String fingerprint, long started) {
        if (!fingerprint.equals(prior.requestSha256())) {
            throw unprocessable("Idempotency-Key", "sameRequest", "This Idempotency-Key already opened exchange "
                    + prior.envelope().id() + " with a different request; use a new key for a new exchange");
        }
        done(caller, prior.envelope(), "POST", BASE, 201, started, null, null, null, null, null);
        return new Opened(prior.envelope(), true);
    }

    /** The request as understood, defaults applied: what a retry under the same key must repeat. */
    private String fingerprint(EnvelopeRequest body) {
        String canonical = String.join("\n", body.serviceCode(), body.version(), body.title().strip(),
                body.importance() == null ? "normal" : body.importance(), body.dataType(),
                body.protocol() == null ? "rest" : body.protocol(),
                ttl(body.policy() == null ? null : body.policy().expiresIn()).toString(),
                String.valueOf(maxBytes(body.policy() == null ? null : body.policy().maxBytes())));
        return sha256(canonical.getBytes(StandardCharsets.UTF_8));
    }

    /** Checks the request and opens the envelope; null when the idempotency key turned out to be taken meanwhile. */
    private Uni<Envelope> open(Party caller, EnvelopeRequest body, String idempotencyKey, String fingerprint,
            long started) {
        Snapshot snapshot = snapshots.get();
        Route route = snapshot.routes().get(new Route.Key(body.serviceCode(), body.version()));
        try {
            return open(snapshot, route, caller, body, idempotencyKey, fingerprint, started);
        } catch (ProblemException refused) {
            // Refused before any envelope exists: recorded as the gateway records its refusals (REQUIREMENTS M1, M2).
            refusal(caller, body.serviceCode(), body.version(), route, "POST", BASE, refused, started);
            throw refused;
        }
    }

    private Uni<Envelope> open(Snapshot snapshot, Route route, Party caller, EnvelopeRequest body, String idempotencyKey,
            String fingerprint, long started) {
        if (route == null || !route.offeredIn(caller.environment())) {
            throw unprocessable("serviceCode", "published", "No published service " + body.serviceCode() + " version "
                    + body.version() + " is available to you");
        }
        Instant now = Instant.now();
        if (route.retired(now)) {
            throw unprocessable("version", "notRetired", "Service " + body.serviceCode() + " version " + body.version()
                    + " has been retired");
        }
        Subscription subscription = requireSendingRight(snapshot, caller, body.serviceCode(), body.version(), now);
        if (caller.system().equals(route.providerSystem())) {
            throw unprocessable("serviceCode", "notOwn", "System " + caller.system() + " provides " + body.serviceCode()
                    + " itself: an exchange goes to another system");
        }
        Duration ttl = ttl(body.policy() == null ? null : body.policy().expiresIn());
        long maxBytes = maxBytes(body.policy() == null ? null : body.policy().maxBytes());
        Envelope e = new Envelope(UUID.randomUUID(), Envelope.AWAITING_UPLOAD, caller.environment(), body.serviceCode(),
                body.version(), subscription.id(), caller.system(), caller.agency(), route.providerSystem(),
                route.providerAgency(), body.title().strip(), body.importance() == null ? "normal" : body.importance(),
                body.dataType(), body.protocol() == null ? "rest" : body.protocol(), maxBytes, null, null, List.of(),
                List.of(), 0, null, now.plus(ttl), now, null, null, null, now, 1);
        return repository.pool().withTransaction(tx -> repository.insert(tx, e, idempotencyKey, fingerprint)
                .chain(inserted -> inserted ? repository.find(tx, e.id(), false) : Uni.createFrom().<Envelope>nullItem()))
                .invoke(saved -> {
                    if (saved != null) {
                        done(caller, saved, "POST", BASE, 201, started, null, null, null, null, null);
                    }
                });
    }

    /**
     * The source's right to send to the version's provider, now: an active subscription in its environment, a day of
     * its period of use, and at least {@code use} (sending puts data into the provider's system: a view-only
     * subscription may read it, not feed it). Checked when the envelope opens and again when its content arrives, so
     * a subscription suspended, ended or lowered in between sends nothing more.
     */
    private static Subscription requireSendingRight(Snapshot snapshot, Party caller, String serviceCode, String version,
            Instant now) {
        Subscription subscription = snapshot.subscriptions().get(new Subscription.Key(caller.system(), serviceCode,
                version, caller.environment()));
        if (subscription == null) {
            throw new ProblemException(ProblemType.NOT_SUBSCRIBED, "System " + caller.system()
                    + " has no active subscription to " + serviceCode + " " + version + " in the "
                    + caller.environment() + " environment, so it cannot send to its provider");
        }
        long today = ProvinceCalendar.epochDay(now.toEpochMilli());
        if (!subscription.inPeriod(today)) {
            throw new ProblemException(ProblemType.NOT_SUBSCRIBED, "The subscription of system " + caller.system()
                    + " to " + serviceCode + " " + version + " may be used from "
                    + LocalDate.ofEpochDay(subscription.firstDay()) + " to " + LocalDate.ofEpochDay(subscription.lastDay())
                    + " (Asia/Ho_Chi_Minh); today is outside its period of use");
        }
        AccessLevel granted = subscription.accessLevel();
        if (granted != null && !granted.covers(AccessLevel.USE)) {
            throw new ProblemException(ProblemType.ACCESS_LEVEL, "The subscription of system " + caller.system()
                    + " to " + serviceCode + " " + version + " grants " + granted.wire()
                    + "; sending an exchange to its provider requires " + AccessLevel.USE.wire()
                    + " (ask the provider for a higher level)");
        }
        return subscription;
    }

    /**
     * Steps 3–5: the source uploads the content; the platform checks it is what the envelope announced, works out the
     * formats it can deliver it in, and tells the recipient (exchange.ready).
     */
    public Uni<Envelope> upload(Party caller, UUID id, String contentType, String contentDigest, byte[] content) {
        long started = System.nanoTime();
        requireAuditRoom();
        // The analysis (parsing, trial conversions, digests of up to 16 MiB) runs on a worker thread, never on the
        // event loop the reactive client answers on, which the data plane shares.
        return repository.find(repository.pool(), id, false).emitOn(Infrastructure.getDefaultWorkerPool()).chain(current -> {
            Envelope e = visible(caller, current, id);
            if (!caller.isSource(e)) {
                throw ProblemException.forbidden("Only the source system " + e.sourceSystem() + " uploads the content");
            }
            requireState(e, Envelope.AWAITING_UPLOAD, "the content has already been uploaded");
            try {
                requireSendingRight(snapshots.get(), caller, e.serviceCode(), e.version(), Instant.now());
            } catch (ProblemException refused) {
                record(caller, e, "PUT", BASE + "/" + id + "/content", refused.type().status(), started, null, null, null,
                        null, ProblemWriter.slug(refused));
                throw refused;
            }
            String type = ContentAnalyser.dataTypeOf(contentType);
            if (!e.dataType().equals(type)) {
                throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "This envelope carries " + e.dataType()
                        + ": send Content-Type " + ContentAnalyser.MEDIA_TYPES.get(e.dataType()));
            }
            if (content.length > e.maxBytes()) {
                throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "The content is " + content.length
                        + " bytes; this envelope allows at most " + e.maxBytes());
            }
            if (contentDigest != null) {
                try {
                    ContentDigest.verify(contentDigest, content);
                } catch (SignatureException | IllegalArgumentException ex) {
                    throw ProblemException.field("Content-Digest", "matches", ex.getMessage());
                }
            }
            List<String> formats;
            try {
                formats = ContentAnalyser.analyse(e.dataType(), content);
            } catch (IllegalArgumentException ex) {
                done(caller, e, "PUT", BASE + "/" + id + "/content", 422, started, (long) content.length, sha256(content),
                        null, null, "exchange-invalid-content");
                throw unprocessable("content", "wellFormed", ex.getMessage());
            }
            String digest = sha256(content);
            Instant now = Instant.now();
            return repository.pool().withTransaction(tx -> repository.find(tx, id, true).chain(locked -> {
                requireState(locked, Envelope.AWAITING_UPLOAD, "the content has already been uploaded");
                Envelope next = with(locked, Envelope.READY, now).contentBytes((long) content.length).contentSha256(digest)
                        .formats(formats).uploadedAt(now).build();
                return repository.storeContent(tx, id, content).chain(() -> repository.update(tx, next))
                        .call(saved -> tell(tx, saved.recipientSystem(), saved, "exchange.ready", now));
            })).invoke(saved -> done(caller, saved, "PUT", BASE + "/" + id + "/content", 200, started,
                    (long) content.length, digest, null, null, null));
        });
    }

    /** Step 6: the recipient says it is ready to receive; the answer names where to pull (contentUri). */
    public Uni<Envelope> accept(Party caller, UUID id) {
        long started = System.nanoTime();
        requireAuditRoom();
        return transition(caller, id, true, e -> {
            requireState(e, Envelope.READY, e.state().equals(Envelope.AWAITING_UPLOAD)
                    ? "the source has not uploaded the content yet" : "it has already been accepted");
            return with(e, Envelope.ACCEPTED, Instant.now()).acceptedAt(Instant.now()).build();
        }, saved -> "exchange.accepted").invoke(saved -> done(caller, saved, "POST", BASE + "/" + id + "/accept",
                200, started, null, null, null, null, null));
    }

    /** The representation pulled: bytes, media type and digest. */
    public record Content(byte[] body, String mediaType, String sha256) {
    }

    /**
     * Step 6: the recipient pulls the content, in the uploaded format or one it converts to ({@code Accept}). Each
     * pull is a delivery attempt in the audit log; the served digest is remembered for the confirmation.
     */
    public Uni<Content> download(Party caller, UUID id, String accept) {
        long started = System.nanoTime();
        requireAuditRoom();
        return repository.find(repository.pool(), id, false).chain(current -> {
            Envelope e = visible(caller, current, id);
            if (!caller.isRecipient(e)) {
                throw ProblemException.forbidden("Only the recipient system " + e.recipientSystem() + " pulls the content");
            }
            if (!e.open()) {
                throw new ProblemException(ProblemType.GONE, "The envelope is " + e.state() + "; its content has been deleted");
            }
            requireState(e, Envelope.ACCEPTED, "accept it first (POST " + BASE + "/" + id + "/accept)");
            String format = negotiate(e, accept);
            return repository.content(id).emitOn(Infrastructure.getDefaultWorkerPool()).chain(stored -> {
                if (stored == null) {
                    throw new ProblemException(ProblemType.GONE, "The content of this envelope has been deleted");
                }
                byte[] body = format.equals(e.dataType()) ? stored
                        : ContentAnalyser.convert(stored, e.dataType(), format);
                String digest = sha256(body);
                return repository.pool().withTransaction(tx -> repository.find(tx, id, true).chain(locked -> {
                    List<String> served = new ArrayList<>(locked.servedSha256());
                    if (!served.contains(digest)) {
                        served.add(digest);
                    }
                    Envelope next = with(locked, locked.state(), Instant.now()).downloads(locked.downloads() + 1)
                            .servedSha256(served).build();
                    return repository.update(tx, next);
                })).invoke(saved -> done(caller, saved, "GET", BASE + "/" + id + "/content", 200, started, null, null,
                        (long) body.length, digest, null))
                        .map(saved -> new Content(body, ContentAnalyser.MEDIA_TYPES.get(format), digest));
            });
        });
    }

    /** Steps 7–8: the recipient confirms by the digest of what it received; the content is deleted, the status kept. */
    public Uni<Envelope> confirm(Party caller, UUID id, String receivedSha256) {
        long started = System.nanoTime();
        requireAuditRoom();
        return transition(caller, id, true, e -> {
            requireState(e, Envelope.ACCEPTED, e.state().equals(Envelope.READY) ? "accept and pull it first"
                    : "only an accepted envelope is confirmed");
            if (e.downloads() == 0) {
                throw ProblemException.conflict("The content has not been pulled yet (GET " + BASE + "/" + id + "/content)");
            }
            if (!receivedSha256.equals(e.contentSha256()) && !e.servedSha256().contains(receivedSha256)) {
                throw unprocessable("sha256", "matches", "This is not the SHA-256 of any representation served for this "
                        + "envelope; pull it again and confirm what arrived");
            }
            Instant now = Instant.now();
            return with(e, Envelope.DELIVERED, now).finishedAt(now).build();
        }, saved -> "exchange.delivered").invoke(saved -> done(caller, saved, "POST",
                BASE + "/" + id + "/confirm", 200, started, null, null, null, null, null));
    }

    /** The recipient refuses the envelope (ready or accepted), saying why; the source is told. */
    public Uni<Envelope> reject(Party caller, UUID id, String reason) {
        long started = System.nanoTime();
        requireAuditRoom();
        return transition(caller, id, true, e -> {
            if (!e.state().equals(Envelope.READY) && !e.state().equals(Envelope.ACCEPTED)) {
                throw illegal(e, "only a ready or accepted envelope can be rejected");
            }
            Instant now = Instant.now();
            return with(e, Envelope.REJECTED, now).reason(reason.strip()).finishedAt(now).build();
        }, saved -> "exchange.rejected").invoke(saved -> done(caller, saved, "POST",
                BASE + "/" + id + "/reject", 200, started, null, null, null, null, "exchange-rejected"));
    }

    /** The source withdraws an open envelope; the recipient is told if it had been. */
    public Uni<Envelope> cancel(Party caller, UUID id, String reason) {
        long started = System.nanoTime();
        requireAuditRoom();
        return transition(caller, id, false, e -> {
            if (!e.open()) {
                throw illegal(e, "it is already " + e.state());
            }
            Instant now = Instant.now();
            return with(e, Envelope.CANCELLED, now).reason(reason.strip()).finishedAt(now).build();
        }, saved -> saved.announced() ? "exchange.cancelled" : null).invoke(saved -> done(caller, saved, "POST",
                BASE + "/" + id + "/cancel", 200, started, null, null, null, null, null));
    }

    public Uni<Envelope> get(Party caller, UUID id) {
        return repository.find(repository.pool(), id, false).map(e -> visible(caller, e, id));
    }

    /**
     * Closes open envelopes past their expiry (locked with SKIP LOCKED, so replicas share the work): content deleted,
     * both parties told (the recipient only if it had been), and an audit record with errorType exchange-expired,
     * which audit's async-failures alert rules count. Answers how many it closed.
     */
    public Uni<Integer> sweep() {
        Instant now = Instant.now();
        return repository.pool().withTransaction(tx -> repository.expired(tx, now, 200).chain(list -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            List<Envelope> closed = new ArrayList<>();
            for (Envelope e : list) {
                Envelope next = with(e, Envelope.EXPIRED, now).finishedAt(now)
                        .reason("not delivered before " + e.expiresAt()).build();
                chain = chain.chain(() -> repository.deleteContent(tx, e.id())).chain(() -> repository.update(tx, next))
                        .invoke(closed::add)
                        .call(saved -> tell(tx, saved.sourceSystem(), saved, "exchange.expired", now))
                        .call(saved -> saved.announced() ? tell(tx, saved.recipientSystem(), saved, "exchange.expired", now)
                                : Uni.createFrom().voidItem())
                        .replaceWithVoid();
            }
            return chain.map(v -> closed);
        })).invoke(closed -> {
            for (Envelope e : closed) {
                record(null, e, "DELETE", BASE + "/" + e.id(), 410, 0, null, null, null, null, "exchange-expired");
                meters.counter("lgsp.exchange.transitions", "to", Envelope.EXPIRED).increment();
            }
        }).map(List::size);
    }

    /** Purges what the history retention no longer keeps. */
    public Uni<Long> purge() {
        return repository.purge(Instant.now().minus(config.exchange().historyRetention()));
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private interface Change {
        Envelope apply(Envelope locked);
    }

    private interface NoticeKind {
        String of(Envelope saved);
    }

    /**
     * Loads the envelope under lock, checks the caller's side, applies the change, deletes the content if the envelope
     * is finished, and tells the other party: all in one transaction.
     */
    private Uni<Envelope> transition(Party caller, UUID id, boolean byRecipient, Change change, NoticeKind notice) {
        Instant now = Instant.now();
        return repository.pool().withTransaction(tx -> repository.find(tx, id, true).chain(current -> {
            Envelope e = visible(caller, current, id);
            if (byRecipient ? !caller.isRecipient(e) : !caller.isSource(e)) {
                throw ProblemException.forbidden("Only the " + (byRecipient ? "recipient system " + e.recipientSystem()
                        : "source system " + e.sourceSystem()) + " may do this");
            }
            Envelope next = change.apply(e);
            Uni<Void> content = next.open() ? Uni.createFrom().voidItem() : repository.deleteContent(tx, id);
            return content.chain(() -> repository.update(tx, next)).call(saved -> {
                String kind = notice.of(saved);
                return kind == null ? Uni.createFrom().voidItem()
                        : tell(tx, byRecipient ? saved.sourceSystem() : saved.recipientSystem(), saved, kind, now);
            });
        }));
    }

    private Uni<Void> tell(SqlClient tx, String system, Envelope e, String kind, Instant at) {
        JsonObject body = new JsonObject().put("id", e.id().toString()).put("state", e.state())
                .put("serviceCode", e.serviceCode()).put("version", e.version()).put("sourceSystem", e.sourceSystem())
                .put("recipientSystem", e.recipientSystem()).put("title", e.title()).put("importance", e.importance())
                .put("dataType", e.dataType()).put("expiresAt", e.expiresAt().toString()).put("href", BASE + "/" + e.id());
        if (e.reason() != null) {
            body.put("reason", e.reason());
        }
        return repository.notice(tx, system, e.environment(), e.id(), kind, body, at).replaceWithVoid();
    }

    /** The envelope if the caller may see it; 404 otherwise, so that nobody learns of others' exchanges. */
    private static Envelope visible(Party caller, Envelope e, UUID id) {
        if (e == null || !(caller.overseer() || caller.isSource(e) || caller.isRecipient(e))) {
            throw ProblemException.notFound("Exchange " + id);
        }
        return e;
    }

    private static void requireState(Envelope e, String state, String otherwise) {
        if (!e.state().equals(state)) {
            if (!e.open()) {
                throw illegal(e, "it is " + e.state());
            }
            throw illegal(e, otherwise);
        }
    }

    private static ProblemException illegal(Envelope e, String why) {
        return new ProblemException(ProblemType.ILLEGAL_TRANSITION, "Exchange " + e.id() + " is " + e.state() + ": " + why);
    }

    private static ProblemException unprocessable(String field, String rule, String message) {
        return new ProblemException(ProblemType.UNPROCESSABLE, message, List.of(new FieldError(field, rule, message)), Map.of());
    }

    private Duration ttl(String expiresIn) {
        if (expiresIn == null) {
            return config.exchange().defaultTtl();
        }
        Duration d;
        try {
            d = Duration.parse(expiresIn);
        } catch (DateTimeParseException e) {
            throw ProblemException.field("policy.expiresIn", "duration", "must be an ISO-8601 duration such as PT6H or P3D");
        }
        if (d.isNegative() || d.isZero()) {
            throw ProblemException.field("policy.expiresIn", "positive", "must be a positive duration");
        }
        if (d.compareTo(config.exchange().maxTtl()) > 0) {
            throw ProblemException.field("policy.expiresIn", "max", "must be at most " + config.exchange().maxTtl());
        }
        return d;
    }

    private long maxBytes(Long asked) {
        long limit = config.exchange().maxContentBytes();
        if (asked == null) {
            return limit;
        }
        if (asked > limit) {
            throw ProblemException.field("policy.maxBytes", "max", "must be at most " + limit + " bytes");
        }
        return asked;
    }

    /** The format the Accept header asks for among those the envelope offers; the uploaded one when it names none. */
    private static String negotiate(Envelope e, String accept) {
        if (accept == null || accept.isBlank() || accept.contains("*/*")) {
            return e.dataType();
        }
        for (String part : accept.split(",")) {
            String format = ContentAnalyser.dataTypeOf(part.strip());
            if (format != null && e.formats().contains(format)) {
                return format;
            }
        }
        List<String> offered = e.formats().stream().map(ContentAnalyser.MEDIA_TYPES::get).toList();
        throw new ProblemException(ProblemType.NOT_ACCEPTABLE, "This envelope can be delivered as " + offered);
    }

    /** Refuses before changing anything when the audit spool is full (the same rule as the data plane). */
    private void requireAuditRoom() {
        if (config.refuseWhenAuditUnavailable() && !publisher.hasCapacity()) {
            throw new ProblemException(ProblemType.AUDIT_UNAVAILABLE, "The exchange cannot be recorded in the audit log now; "
                    + "retry later");
        }
    }

    private void done(Party caller, Envelope e, String method, String path, int status, long startedNanos,
            Long requestBytes, String requestSha256, Long responseBytes, String responseSha256, String errorType) {
        record(caller, e, method, path, status, startedNanos, requestBytes, requestSha256, responseBytes, responseSha256,
                errorType);
        if (status < 300) {
            meters.counter("lgsp.exchange.transitions", "to", e.state()).increment();
        }
    }

    /**
     * One audit record per exchange call, mode=async: the source is the consumer (it holds the subscription), the
     * recipient the provider, as in the synchronous gateway's records of the same service.
     */
    private void record(Party caller, Envelope e, String method, String path, int status, long startedNanos,
            Long requestBytes, String requestSha256, Long responseBytes, String responseSha256, String errorType) {
        publish(caller, e.sourceSystem(), e.sourceAgency(), e.recipientSystem(), e.recipientAgency(), e.serviceCode(),
                e.version(), e.environment(), e.id().toString(), method, path, status, startedNanos, requestBytes,
                requestSha256, responseBytes, responseSha256, errorType);
    }

    /** The record of a request refused before it had an envelope: the caller as consumer, the version's provider. */
    private void refusal(Party caller, String serviceCode, String version, Route route, String method, String path,
            ProblemException refused, long startedNanos) {
        publish(caller, caller.system(), caller.agency(), route == null ? null : route.providerSystem(),
                route == null ? null : route.providerAgency(), serviceCode, version, caller.environment(), null, method,
                path, refused.type().status(), startedNanos, null, null, null, null, ProblemWriter.slug(refused));
    }

    /** {@code envelopeId} null: no envelope yet, so no resource. */
    private void publish(Party caller, String consumerSystem, String consumerAgency, String providerSystem,
            String providerAgency, String serviceCode, String version, String environment, String envelopeId,
            String method, String path, int status, long startedNanos, Long requestBytes, String requestSha256,
            Long responseBytes, String responseSha256, String errorType) {
        Object requestId = MDC.get(RequestIds.MDC_KEY);
        long latencyMs = startedNanos == 0 ? 0 : Math.max(0, (System.nanoTime() - startedNanos) / 1_000_000);
        AuditEvent event = new AuditEvent(Uuids.fastRandom(), AuditEvent.TRANSACTION, Instant.now(), "routing",
                requestId == null ? null : requestId.toString(), null, consumerSystem, consumerAgency, providerSystem,
                providerAgency, serviceCode, version, environment, method, path, status, latencyMs, null, requestBytes,
                responseBytes, requestSha256, responseSha256, caller == null ? null : caller.clientId(), errorType, null,
                null, envelopeId == null ? null : "exchange", envelopeId, null, null, null, null, AuditEvent.MODE_ASYNC);
        if (!publisher.offer(event)) {
            LOG.errorf("Audit buffer full: exchange record %s %s (%d) not queued", method, path, status);
        }
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static EnvelopeBuilder with(Envelope e, String state, Instant now) {
        return new EnvelopeBuilder(e).state(state).updatedAt(now);
    }
}
