package vn.lgsp.routing.exchange.api;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.net.URI;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.common.httpsig.ContentDigest;
import vn.lgsp.common.paging.Page;
import vn.lgsp.common.paging.PageRequest;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;
import vn.lgsp.common.security.RevokedTokens;
import vn.lgsp.routing.config.RoutingConfig;
import vn.lgsp.routing.exchange.domain.Envelope;
import vn.lgsp.routing.exchange.domain.EnvelopeConfirmation;
import vn.lgsp.routing.exchange.domain.EnvelopeDecision;
import vn.lgsp.routing.exchange.domain.EnvelopeRequest;
import vn.lgsp.routing.exchange.domain.Party;
import vn.lgsp.routing.exchange.repository.EnvelopeRepository;
import vn.lgsp.routing.exchange.service.ExchangeNotices;
import vn.lgsp.routing.exchange.service.ExchangeService;

@Path("/api/v1/exchanges")
@Tag(name = "exchange", description = "Asynchronous exchange (REQUIREMENTS X5, Vĩnh Long Art. 11): a source system "
        + "sends data to the provider of a service version it is subscribed to, store and forward, with real-time "
        + "notification (server-sent events); the content is deleted once delivered, the status kept")
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "A system token from auth's /oauth2/token (client_credentials)")
@SecurityScheme(securitySchemeName = "httpSignature", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        apiKeyName = "Signature", description = "RFC 9421 hmac-sha256 with the system's access key (keyid) and secret "
                + "key, as on the data plane: Signature-Input and Signature covering @method, @target-uri (or @authority, "
                + "@path, @query) and, with a body, content-digest (RFC 9530 Content-Digest, checked against the body); "
                + "created within 300 s; a fresh nonce. No Authorization header. One signed request opens an event "
                + "stream for at most an hour (or until the key expires or is revoked).")
@SecurityRequirement(name = "bearer")
@SecurityRequirement(name = "httpSignature")
@Produces(MediaType.APPLICATION_JSON)
public class ExchangeResource {

    private static final String EXAMPLE = """
            {"serviceCode":"ho-tich","version":"v1","title":"Danh sách khai sinh tháng 11","importance":"normal",
             "dataType":"json","protocol":"rest","policy":{"expiresIn":"P3D","maxBytes":1048576}}""";

    /** The same revocations the admin API refuses (fed by the snapshot loader from auth's feed). */
    @Inject
    RevokedTokens revocations;

    @Inject
    ExchangeService service;

    @Inject
    ExchangeNotices notices;

    @Inject
    EnvelopeRepository repository;

    @Inject
    RoutingConfig config;

    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SYSTEM)
    @Operation(summary = "Open an exchange (X5 step 2)",
            description = "The source names a service version it holds an active subscription to (in its period of use, "
                    + "its token's environment); the version's provider is the recipient. The platform allocates the "
                    + "space: the answer's uploadUri takes the content, up to policy.maxBytes (at most "
                    + "lgsp.routing.exchange.max-content-bytes), until policy.expiresIn (default 7 days, at most 30). "
                    + "403 not-subscribed, or access-level when the subscription grants only view (sending needs use); "
                    + "422 for a version that is not published (serviceCode/published), retired "
                    + "(version/notRetired) or the caller's own (serviceCode/notOwn). Idempotency-Key (optional, up to "
                    + "255 visible ASCII characters, the source's own): a retry with the same key and the same request "
                    + "answers the envelope that key opened (201, Idempotent-Replayed: true) instead of opening another; "
                    + "the same key with another request is 422 (Idempotency-Key/sameRequest). Keys last as long as the "
                    + "envelope's status.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "monthly list",
            value = EXAMPLE)))
    public Uni<Response> create(@HeaderParam("Idempotency-Key") String idempotencyKey,
            @Valid @NotNull(message = "a JSON body is required") EnvelopeRequest body) {
        String key = idempotencyKey(idempotencyKey);
        return service.create(party(), body, key).map(o -> {
            Response.ResponseBuilder r = Response.created(URI.create("/api/v1/exchanges/" + o.envelope().id()))
                    .entity(o.envelope()).tag(tag(o.envelope()));
            return (o.replayed() ? r.header("Idempotent-Replayed", "true") : r).build();
        });
    }

    /**
     * The key as sent: an RFC 8941 string ("…", as draft-ietf-httpapi-idempotency-key-header writes it) or bare;
     * 1..255 visible ASCII characters; null when absent.
     */
    static String idempotencyKey(String header) {
        if (header == null) {
            return null;
        }
        String key = header.strip();
        if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
            key = key.substring(1, key.length() - 1);
        }
        if (key.isEmpty() || key.length() > 255) {
            throw ProblemException.field("Idempotency-Key", "size", "must be 1 to 255 characters");
        }
        if (!key.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw ProblemException.field("Idempotency-Key", "pattern", "visible ASCII characters only (e.g. a UUID)");
        }
        return key;
    }

    @GET
    @RolesAllowed({ Roles.SYSTEM, Roles.OPERATOR, Roles.AUDITOR })
    @Operation(summary = "The exchanges that concern the caller (X5 step 1)",
            description = "A system: box=inbox (default: what it receives) or outbox (what it sends), in its token's "
                    + "environment. Operators and auditors: every exchange, or one system's (system + box), any "
                    + "environment unless given. state: one of " + "awaiting-upload, ready, accepted, delivered, "
                    + "rejected, cancelled, expired, or open (the first three). An inbox is the recipient's work queue: "
                    + "urgent first, then high, normal, low, oldest first within each; outboxes and overseers' views "
                    + "newest first.")
    public Uni<Page<Envelope>> list(@QueryParam("box") String box, @QueryParam("state") String state,
            @QueryParam("serviceCode") String serviceCode, @QueryParam("system") String system,
            @QueryParam("environment") String environment, @Valid @BeanParam PageRequest page) {
        if (box != null && !box.equals("inbox") && !box.equals("outbox")) {
            throw ProblemException.field("box", "enum", "must be inbox or outbox");
        }
        if (state != null && !state.equals("open") && !Envelope.STATES.contains(state)) {
            throw ProblemException.field("state", "enum", "must be open or one of " + Envelope.STATES);
        }
        if (environment != null && !environment.equals("test") && !environment.equals("production")) {
            throw ProblemException.field("environment", "enum", "must be test or production");
        }
        Party me = party();
        String b = box == null ? "inbox" : box;
        if (me.overseer()) {
            return repository.list(system, system == null ? null : b, environment, state, serviceCode, page.page, page.size);
        }
        if (system != null && !system.equals(me.system())) {
            throw ProblemException.forbidden("A system lists its own exchanges only");
        }
        return repository.list(me.system(), b, me.environment(), state, serviceCode, page.page, page.size);
    }

    @GET
    @Path("/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed(Roles.SYSTEM)
    @Operation(summary = "Real-time notices (X5 step 5)",
            description = "Server-sent events for the calling system in its environment: exchange.ready (an envelope "
                    + "waits for it), exchange.accepted, exchange.delivered, exchange.rejected, exchange.cancelled, "
                    + "exchange.expired; data is the envelope's summary (id, state, service, parties, title, importance, "
                    + "dataType, expiresAt, href, reason). Each event has an id: reconnect with Last-Event-ID to receive "
                    + "what was missed (kept for the history retention). A comment is sent every keep-alive interval; "
                    + "the stream ends when the token expires, or within a second of its revocation. More than 1000 events behind, "
                    + "the stream ends after each page of 1000 (reconnect from the last id). A client that stops reading is "
                    + "disconnected once 1256 events wait and it has taken none for 5 s, and resumes with Last-Event-ID.")
    public Multi<OutboundSseEvent> events(@HeaderParam("Last-Event-ID") String lastEventId, @Context Sse sse,
            @Context io.vertx.core.http.HttpServerRequest http) {
        Party me = party();
        Long last = null;
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                last = Long.parseLong(lastEventId.strip());
            } catch (NumberFormatException e) {
                throw ProblemException.field("Last-Event-ID", "integer", "must be the id of an event this stream sent");
            }
        }
        long endAt = caller.expiresAt() * 1000;
        // The token was checked when the stream opened; revoked later (its id, or its credential), the stream ends
        // within a second, as calls on the data plane are refused: a reconnection with it then gets 401.
        String jti = caller.tokenId();
        String clientId = caller.clientId();
        String subject = caller.subject();
        long issuedAt = caller.issuedAt();
        BooleanSupplier revoked = () -> revocations.isRevoked(jti, clientId, subject, issuedAt);
        // A client too far behind is dropped (HTTP/1.1: the connection closes; HTTP/2: only its stream is reset).
        Runnable abandon = () -> http.response().reset();
        return notices.stream(me.system(), me.environment(), last, config.exchange().keepAlive().toMillis(), endAt, revoked,
                abandon)
                .map(n -> n.isEmpty() ? sse.newEventBuilder().comment("keep-alive").build()
                        : sse.newEventBuilder().id(String.valueOf(n.get().id())).name(n.get().kind())
                                .mediaType(MediaType.APPLICATION_JSON_TYPE).data(n.get().body().encode()).build());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.SYSTEM, Roles.OPERATOR, Roles.AUDITOR })
    @Operation(summary = "One exchange's status (X5 step 8)",
            description = "Its source, its recipient, operators and auditors (404 for anyone else). Never the content.")
    public Uni<Response> get(@PathParam("id") UUID id) {
        return service.get(party(), id).map(e -> Response.ok(e).tag(tag(e)).build());
    }

    @PUT
    @Path("/{id}/content")
    @Consumes(MediaType.WILDCARD)
    @Blocking
    @RolesAllowed(Roles.SYSTEM)
    @Operation(summary = "Upload the content (X5 steps 3–5)",
            description = "The source, once, while awaiting-upload; Content-Type is the envelope's data type "
                    + "(application/json, application/xml, text/csv, application/vnd.openxmlformats-officedocument."
                    + "spreadsheetml.sheet; else 415); at most the envelope's maxBytes (413); Content-Digest (RFC 9530) "
                    + "checked when sent. The platform checks the content is well-formed for its type (422 content/"
                    + "wellFormed, naming the line), works out the formats it can deliver (formats: JSON object ↔ XML; a CSV or an XLSX workbook's first sheet as "
                    + "CSV, JSON and XML; a JSON array of flat objects as CSV), stores "
                    + "it and tells the recipient (exchange.ready).")
    public Uni<Envelope> upload(@PathParam("id") UUID id, @HeaderParam("Content-Type") String contentType,
            @HeaderParam("Content-Digest") String contentDigest, byte[] body) {
        return service.upload(party(), id, contentType, contentDigest, body == null ? new byte[0] : body);
    }

    @POST
    @Path("/{id}/accept")
    @RolesAllowed(Roles.SYSTEM)
    @Operation(summary = "Say ready to receive (X5 step 6)",
            description = "The recipient, once the envelope is ready; the answer's contentUri is where to pull. The source "
                    + "is told (exchange.accepted).")
    public Uni<Envelope> accept(@PathParam("id") UUID id) {
        return service.accept(party(), id);
    }

    @GET
    @Path("/{id}/content")
    @Produces(MediaType.WILDCARD)
    @Blocking
    @RolesAllowed(Roles.SYSTEM)
    @Operation(summary = "Pull the content (X5 step 6)",
            description = "The recipient, after accepting; as uploaded, or converted when Accept names another format "
                    + "the envelope lists in formats (406 otherwise). Content-Digest (RFC 9530) and X-Content-SHA256 give "
                    + "the digest to confirm with. Each pull is recorded in the audit log as a delivery attempt.")
    public Uni<Response> download(@PathParam("id") UUID id, @HeaderParam("Accept") String accept) {
        return service.download(party(), id, accept).map(c -> Response.ok(c.body(), c.mediaType())
                .header("Content-Digest", ContentDigest.sha256Header(c.body())).header("X-Content-SHA256", c.sha256())
                .header("Cache-Control", "no-store").build());
    }

    @POST
    @Path("/{id}/confirm")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SYSTEM)
    @Operation(summary = "Confirm receipt (X5 steps 7–8)",
            description = "The recipient, with the SHA-256 (hex) of what it received: it must be a representation it was "
                    + "served (422 sha256/matches). The envelope becomes delivered, its content is deleted, the source "
                    + "is told (exchange.delivered).")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "received",
            value = "{\"sha256\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"}")))
    public Uni<Envelope> confirm(@PathParam("id") UUID id,
            @Valid @NotNull(message = "a JSON body is required") EnvelopeConfirmation body) {
        return service.confirm(party(), id, body.sha256());
    }

    @POST
    @Path("/{id}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SYSTEM)
    @Operation(summary = "Refuse an exchange",
            description = "The recipient, while ready or accepted, saying why; content deleted, source told "
                    + "(exchange.rejected). Recorded as a failed delivery (errorType exchange-rejected).")
    public Uni<Envelope> reject(@PathParam("id") UUID id,
            @Valid @NotNull(message = "a JSON body is required") EnvelopeDecision body) {
        return service.reject(party(), id, body.reason());
    }

    @POST
    @Path("/{id}/cancel")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SYSTEM)
    @Operation(summary = "Withdraw an exchange",
            description = "The source, while it is open, saying why; content deleted; the recipient is told "
                    + "(exchange.cancelled) if it had been told of the envelope.")
    public Uni<Envelope> cancel(@PathParam("id") UUID id,
            @Valid @NotNull(message = "a JSON body is required") EnvelopeDecision body) {
        return service.cancel(party(), id, body.reason());
    }

    private Party party() {
        if (!caller.is(Roles.SYSTEM)) {
            return new Party(null, null, null, null, true);
        }
        String env = caller.environment();
        if (!"test".equals(env) && !"production".equals(env)) {
            throw ProblemException.forbidden("The system token names no environment (claim " + Roles.ENVIRONMENT_CLAIM + ")");
        }
        return new Party(caller.subject(), caller.agency(), env, caller.clientId(), false);
    }

    private static EntityTag tag(Envelope e) {
        return new EntityTag(String.valueOf(e.rowVersion()));
    }
}
