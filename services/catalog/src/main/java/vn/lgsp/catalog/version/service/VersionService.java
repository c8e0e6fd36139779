package vn.lgsp.catalog.version.service;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import vn.lgsp.catalog.dataservice.service.DataServiceService.PatchUnreadable;
import vn.lgsp.catalog.dataservice.domain.DataService;
import vn.lgsp.catalog.dataservice.repository.DataServiceRepository;
import vn.lgsp.catalog.feed.repository.ChangeLog;
import vn.lgsp.catalog.notification.repository.NotificationRepository.Notification;
import vn.lgsp.catalog.notification.service.Notices;
import vn.lgsp.catalog.webhook.service.WebhookDispatcher;
import vn.lgsp.catalog.subscription.domain.Subscription;
import vn.lgsp.catalog.subscription.domain.SubscriptionStatus;
import vn.lgsp.catalog.subscription.repository.SubscriptionRepository;
import vn.lgsp.catalog.support.Actor;
import vn.lgsp.catalog.support.FieldErrors;
import vn.lgsp.catalog.version.domain.BodyFormat;
import vn.lgsp.catalog.version.domain.LifecycleRules;
import vn.lgsp.catalog.version.domain.RateLimit;
import vn.lgsp.catalog.version.domain.RetirementNotice;
import vn.lgsp.catalog.version.domain.ServiceVersion;
import vn.lgsp.catalog.version.domain.TransitionRequest;
import vn.lgsp.catalog.version.domain.UpstreamAuth;
import vn.lgsp.catalog.version.domain.Upstreams;
import vn.lgsp.catalog.version.domain.VersionRequest;
import vn.lgsp.catalog.version.domain.VersionStatus;
import vn.lgsp.catalog.version.domain.VersionUpdate;
import vn.lgsp.catalog.version.repository.VersionRepository;
import vn.lgsp.catalog.version.repository.VersionRepository.HistoryEntry;
import vn.lgsp.common.audit.AdminAudit;
import vn.lgsp.common.web.Etags;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.common.problem.Validation;

/**
 * Versions and their lifecycle. Each change runs in one transaction with its history row, the subscribers'
 * notifications, their webhook deliveries and the change-feed entry; sending webhooks and the audit record
 * follow the commit.
 */
@ApplicationScoped
public class VersionService {

    @Inject
    Pool pool;

    @Inject
    VersionRepository versions;

    @Inject
    DataServiceRepository services;

    @Inject
    SubscriptionRepository subscriptions;

    @Inject
    Notices notices;

    @Inject
    ChangeLog changeLog;

    @Inject
    WebhookDispatcher dispatcher;

    @Inject
    AdminAudit audit;

    @Inject
    Clock clock;

    @Inject
    ObjectMapper mapper;

    @Inject
    Validator validator;

    @WithSpan("catalog.version.create")
    public Uni<ServiceVersion> create(Actor actor, String code, VersionRequest r) {
        VersionValidator.validate(r);
        Instant now = clock.instant();
        Upstreams upstreams = r.upstreams() == null ? new Upstreams(null, null) : r.upstreams();
        ServiceVersion v = new ServiceVersion(code, r.version(), VersionStatus.DRAFT, upstreams,
                r.upstreamAuth() == null ? UpstreamAuth.NONE : r.upstreamAuth(),
                r.timeoutMs() == null ? VersionRequest.DEFAULT_TIMEOUT_MS : r.timeoutMs(),
                r.requestFormat() == null ? BodyFormat.JSON : r.requestFormat(),
                r.responseFormat() == null ? BodyFormat.JSON : r.responseFormat(),
                Boolean.TRUE.equals(r.convert()),
                r.maxRequestBytes() == null ? VersionRequest.DEFAULT_MAX_REQUEST_BYTES : r.maxRequestBytes(),
                r.maxConnections() == null ? VersionRequest.DEFAULT_MAX_CONNECTIONS : r.maxConnections(),
                r.pipelining() == null ? VersionRequest.DEFAULT_PIPELINING : r.pipelining(),
                r.rateLimit() == null ? RateLimit.DEFAULT : r.rateLimit().withDefaults(),
                r.accessRules() == null ? List.of() : List.copyOf(r.accessRules()),
                r.openapi() == null || r.openapi().isNull() ? null : r.openapi(), now, now, null, null, null, null, null, null, 1);
        Holder<DataService> owner = new Holder<>();
        return pool.withTransaction(conn -> ownedService(conn, actor, code, "add versions to this service").chain(svc -> {
            owner.value = svc;
            return versions.insert(conn, v);
        }).chain(inserted -> {
            if (!inserted) {
                throw ProblemException.duplicate("version", "Service " + code + " already has version " + r.version());
            }
            return versions.find(conn, code, r.version(), false);
        }).call(saved -> changeLog.route(conn, versions.route(saved, owner.value.providerSystemCode(),
                owner.value.ownerAgencyCode()))))
                .invoke(saved -> audit.record(actor.name(), "version.create", "service-version", code + ":" + r.version(),
                        owner.value.ownerAgencyCode(), null, saved.withoutDocument()));
    }

    public Uni<ServiceVersion> get(String code, String version) {
        return versions.find(pool, code, version, false).map(v -> {
            if (v == null) {
                throw ProblemException.notFound("Version " + version + " of service " + code);
            }
            return v;
        });
    }

    public Uni<List<ServiceVersion>> list(String code) {
        return services.find(code).chain(svc -> {
            if (svc == null) {
                throw ProblemException.notFound("Data service " + code);
            }
            return versions.list(code);
        });
    }

    public Uni<List<HistoryEntry>> history(String code, String version) {
        return get(code, version).chain(v -> versions.history(code, version));
    }

    @WithSpan("catalog.version.transition")
    public Uni<ServiceVersion> transition(Actor actor, String code, String version, TransitionRequest t) {
        VersionStatus to = VersionStatus.of(t.to());
        if (to != VersionStatus.DEPRECATED && t.sunsetAt() != null) {
            throw FieldErrors.of(ProblemType.VALIDATION, "sunsetAt", "notApplicable", "sunsetAt is set only when deprecating");
        }
        if (to != VersionStatus.DEPRECATED && t.retireAt() != null) {
            throw FieldErrors.of(ProblemType.VALIDATION, "retireAt", "notApplicable",
                    "retireAt goes with deprecation or a retirement notice");
        }
        Instant now = clock.instant();
        Outcome out = new Outcome();
        return pool.withTransaction(conn -> ownedService(conn, actor, "change the lifecycle of this service", code, out)
                .chain(() -> lockedVersion(conn, code, version))
                .chain(v -> {
                    out.before = v;
                    LifecycleRules.requireAllowed(v.status(), to);
                    if (to == VersionStatus.TESTING && v.upstreams().test() == null) {
                        throw FieldErrors.of(ProblemType.CONFLICT, "upstreams.test", "required",
                                "A version needs a test upstream before testing");
                    }
                    if (to == VersionStatus.PUBLISHED && v.upstreams().production() == null) {
                        throw FieldErrors.of(ProblemType.CONFLICT, "upstreams.production", "required",
                                "A version needs a production upstream before publishing");
                    }
                    Uni<Void> rules = Uni.createFrom().voidItem();
                    if (to == VersionStatus.DEPRECATED) {
                        rules = versions.earliestNewerPublished(conn, code, v.major()).invoke(successorPublishedAt -> {
                            if (successorPublishedAt == null) {
                                throw FieldErrors.of(ProblemType.CONFLICT, "to", "newerPublishedVersionRequired",
                                        "Publish a newer major version before deprecating " + version);
                            }
                            LifecycleRules.checkSunset(t.sunsetAt(), successorPublishedAt);
                            if (t.retireAt() != null) {
                                LifecycleRules.checkNotice(t.retireAt(), now, t.sunsetAt());
                            }
                        }).replaceWithVoid();
                    } else if (to == VersionStatus.RETIRED) {
                        LifecycleRules.checkRetire(v.retireAt(), now);
                    }
                    return rules.chain(() -> {
                        ServiceVersion next = moved(v, to, t, now);
                        return apply(conn, actor, out, next, "transition", t.comment(), "version." + to.wire(), now);
                    });
                }))
                .invoke(saved -> after(actor, out, saved, "version." + to.wire()));
    }

    @WithSpan("catalog.version.retirement-notice")
    public Uni<ServiceVersion> retirementNotice(Actor actor, String code, String version, RetirementNotice notice) {
        Instant now = clock.instant();
        Outcome out = new Outcome();
        return pool.withTransaction(conn -> ownedService(conn, actor, "announce retirement of this service", code, out)
                .chain(() -> lockedVersion(conn, code, version))
                .chain(v -> {
                    out.before = v;
                    if (v.status() != VersionStatus.PUBLISHED && v.status() != VersionStatus.DEPRECATED) {
                        throw FieldErrors.of(ProblemType.CONFLICT, "version", "publishedOrDeprecated",
                                "Only a published or deprecated version can be announced for retirement; this one is "
                                        + v.status().wire());
                    }
                    LifecycleRules.checkNotice(notice.retireAt(), now, v.sunsetAt());
                    ServiceVersion next = new ServiceVersion(v.serviceCode(), v.version(), v.status(), v.upstreams(),
                            v.upstreamAuth(), v.timeoutMs(), v.requestFormat(), v.responseFormat(), v.convert(),
                            v.maxRequestBytes(), v.maxConnections(), v.pipelining(), v.rateLimit(), v.accessRules(), v.openapi(), v.createdAt(), now,
                            v.publishedAt(), v.deprecatedAt(), v.sunsetAt(), now, notice.retireAt(), v.retiredAt(), v.rowVersion() + 1);
                    return apply(conn, actor, out, next, "retirement-notice", notice.comment(), "version.retirement-notice", now);
                }))
                .invoke(saved -> after(actor, out, saved, "version.retirement-notice"));
    }

    /**
     * Edits a version's configuration (PUT: the whole editable part; PATCH: a merge patch over it). Drafts and
     * versions in testing take any change; published and deprecated ones only the operationally safe fields
     * ({@link #EDITABLE_WHEN_LIVE}), and a new upstream URL needs a reason; retired ones nothing. The edit is one
     * transaction with its history entry and the route's change-feed entry, then audited with before/after.
     */
    @WithSpan("catalog.version.update")
    public Uni<ServiceVersion> update(Actor actor, String code, String version, String ifMatch,
            Function<ServiceVersion, VersionUpdate> change) {
        Instant now = clock.instant();
        Outcome out = new Outcome();
        Holder<VersionUpdate> requested = new Holder<>();
        Holder<List<String>> changed = new Holder<>();
        return pool.withTransaction(conn -> ownedService(conn, actor, "change versions of this service", code, out)
                .chain(() -> lockedVersion(conn, code, version))
                .chain(v -> {
                    Etags.require(ifMatch, v.rowVersion());
                    out.before = v;
                    VersionUpdate u = change.apply(v);
                    requested.value = u;
                    validateBean(u);
                    VersionValidator.validate(u.asRequest(version));
                    ServiceVersion next = edited(v, u, now);
                    List<String> fields = changedFields(v, next);
                    changed.value = fields;
                    if (fields.isEmpty()) {
                        return Uni.createFrom().item(v);
                    }
                    requireEditable(v, next, fields, u.reason());
                    return versions.saveConfig(conn, next, v.rowVersion()).chain(saved -> {
                        if (!saved) {
                            throw new ProblemException(ProblemType.PRECONDITION_FAILED,
                                    "The version changed while you were editing it; read it again and retry");
                        }
                        return versions.addHistory(conn, new HistoryEntry(code, version, "edit", v.status().wire(),
                                v.status().wire(), actor.name(), now, u.reason(), null, null, fields));
                    }).chain(() -> fields.contains("accessRules") ? tellAccessChange(conn, next, u.reason(), now, out)
                            : Uni.createFrom().voidItem())
                            .chain(() -> changeLog.route(conn, versions.route(next, out.service.providerSystemCode(),
                            out.service.ownerAgencyCode()))).replaceWith(next);
                }))
                .invoke(saved -> {
                    if (out.webhooks) {
                        dispatcher.kick();
                    }
                    if (!changed.value.isEmpty()) {
                        ObjectNode after = mapper.valueToTree(saved.withoutDocument());
                        after.set("changedFields", mapper.valueToTree(changed.value));
                        if (requested.value.reason() != null) {
                            after.put("reason", requested.value.reason());
                        }
                        audit.record(actor.name(), "version.update", "service-version", code + ":" + version,
                                out.service.ownerAgencyCode(), out.before.withoutDocument(), after);
                    }
                });
    }

    /**
     * Replaces the version's OpenAPI document with an uploaded one (JSON or YAML already read into a tree); the
     * same editing rules as {@link #update} apply. Errors name pointers within the uploaded document.
     */
    @WithSpan("catalog.version.upload-document")
    public Uni<ServiceVersion> uploadDocument(Actor actor, String code, String version, String ifMatch, JsonNode doc) {
        FieldErrors errors = new FieldErrors();
        OpenApiDocuments.validate(errors, doc, "");
        errors.throwIfAny();
        return update(actor, code, version, ifMatch, current -> VersionUpdate.of(current).withOpenapi(doc));
    }

    /** What a published or deprecated version may still change: nothing a subscriber's integration depends on. */
    public static final List<String> EDITABLE_WHEN_LIVE = List.of("upstreams.test", "upstreams.production", "timeoutMs",
            "maxRequestBytes", "maxConnections", "pipelining", "rateLimit", "accessRules");

    private static void requireEditable(ServiceVersion v, ServiceVersion next, List<String> fields, String reason) {
        FieldErrors errors = new FieldErrors();
        switch (v.status()) {
            case RETIRED -> fields.forEach(f -> errors.add(f, "notEditableWhenRetired", "a retired version cannot change"));
            case PUBLISHED, DEPRECATED -> {
                for (String f : fields) {
                    if (!EDITABLE_WHEN_LIVE.contains(f)) {
                        errors.add(f, "notEditableWhenPublished", "cannot change once the version is " + v.status().wire()
                                + "; publish a new major version instead (editable now: " + EDITABLE_WHEN_LIVE + ")");
                    }
                }
                if ((fields.contains("upstreams.test") || fields.contains("upstreams.production"))
                        && (reason == null || reason.isBlank())) {
                    errors.add("reason", "requiredForUpstreamChange",
                            "say why the upstream URL of a " + v.status().wire() + " version changes; it is audited");
                }
                // The data owner sets and reviews who may do what (Lào Cai Art. 21.5): live, it is a decision to explain.
                if (fields.contains("accessRules") && (reason == null || reason.isBlank())) {
                    errors.add("reason", "requiredForAccessChange",
                            "say why the access rules of a " + v.status().wire() + " version change; it is audited");
                }
                if (next.upstreams().production() == null) {
                    errors.add("upstreams.production", "required", "a " + v.status().wire() + " version needs a production upstream");
                }
            }
            case TESTING -> {
                if (next.upstreams().test() == null) {
                    errors.add("upstreams.test", "required", "a version in testing needs a test upstream");
                }
            }
            case DRAFT -> {
            }
        }
        if (!errors.isEmpty()) {
            throw errors.toProblem(ProblemType.CONFLICT);
        }
    }

    private static ServiceVersion edited(ServiceVersion v, VersionUpdate u, Instant now) {
        return new ServiceVersion(v.serviceCode(), v.version(), v.status(),
                u.upstreams() == null ? new Upstreams(null, null) : u.upstreams(),
                u.upstreamAuth() == null ? UpstreamAuth.NONE : u.upstreamAuth(),
                u.timeoutMs() == null ? VersionRequest.DEFAULT_TIMEOUT_MS : u.timeoutMs(),
                u.requestFormat() == null ? BodyFormat.JSON : u.requestFormat(),
                u.responseFormat() == null ? BodyFormat.JSON : u.responseFormat(), Boolean.TRUE.equals(u.convert()),
                u.maxRequestBytes() == null ? VersionRequest.DEFAULT_MAX_REQUEST_BYTES : u.maxRequestBytes(),
                u.maxConnections() == null ? VersionRequest.DEFAULT_MAX_CONNECTIONS : u.maxConnections(),
                u.pipelining() == null ? VersionRequest.DEFAULT_PIPELINING : u.pipelining(),
                u.rateLimit() == null ? RateLimit.DEFAULT : u.rateLimit().withDefaults(),
                u.accessRules() == null ? List.of() : List.copyOf(u.accessRules()),
                u.openapi() == null || u.openapi().isNull() ? null : u.openapi(), v.createdAt(), now, v.publishedAt(),
                v.deprecatedAt(), v.sunsetAt(), v.retirementNoticeAt(), v.retireAt(), v.retiredAt(), v.rowVersion() + 1);
    }

    static List<String> changedFields(ServiceVersion a, ServiceVersion b) {
        List<String> out = new ArrayList<>();
        if (!Objects.equals(a.upstreams().test(), b.upstreams().test())) {
            out.add("upstreams.test");
        }
        if (!Objects.equals(a.upstreams().production(), b.upstreams().production())) {
            out.add("upstreams.production");
        }
        if (!Objects.equals(a.upstreamAuth(), b.upstreamAuth())) {
            out.add("upstreamAuth");
        }
        if (a.timeoutMs() != b.timeoutMs()) {
            out.add("timeoutMs");
        }
        if (a.requestFormat() != b.requestFormat()) {
            out.add("requestFormat");
        }
        if (a.responseFormat() != b.responseFormat()) {
            out.add("responseFormat");
        }
        if (a.convert() != b.convert()) {
            out.add("convert");
        }
        if (a.maxRequestBytes() != b.maxRequestBytes()) {
            out.add("maxRequestBytes");
        }
        if (a.maxConnections() != b.maxConnections()) {
            out.add("maxConnections");
        }
        if (a.pipelining() != b.pipelining()) {
            out.add("pipelining");
        }
        if (!Objects.equals(a.rateLimit(), b.rateLimit())) {
            out.add("rateLimit");
        }
        if (!Objects.equals(a.accessRules(), b.accessRules())) {
            out.add("accessRules");
        }
        if (!Objects.equals(a.openapi(), b.openapi())) {
            out.add("openapi");
        }
        return out;
    }

    /**
     * RFC 7386 merge patch over the editable configuration. {@code openapi} and {@code upstreamAuth} are replaced
     * whole, not merged: a re-uploaded document is a new document, and an authentication of another type must
     * not inherit the old one's secret names.
     */
    public VersionUpdate merge(ServiceVersion current, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw new ProblemException(ProblemType.MALFORMED_BODY, "A merge patch must be a JSON object");
        }
        ObjectNode base = mapper.valueToTree(VersionUpdate.of(current));
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            JsonNode value = e.getValue();
            if (value.isNull()) {
                base.remove(e.getKey());
            } else if (!"openapi".equals(e.getKey()) && !"upstreamAuth".equals(e.getKey()) && value.isObject()
                    && base.get(e.getKey()) instanceof ObjectNode existing) {
                mergeInto(existing, (ObjectNode) value);
            } else {
                base.set(e.getKey(), value);
            }
        }
        try {
            return mapper.treeToValue(base, VersionUpdate.class);
        } catch (JsonProcessingException e) {
            throw new PatchUnreadable(e);
        }
    }

    private static void mergeInto(ObjectNode target, ObjectNode patch) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            if (e.getValue().isNull()) {
                target.remove(e.getKey());
            } else if (e.getValue().isObject() && target.get(e.getKey()) instanceof ObjectNode existing) {
                mergeInto(existing, (ObjectNode) e.getValue());
            } else {
                target.set(e.getKey(), e.getValue());
            }
        }
    }

    private void validateBean(VersionUpdate u) {
        // Wrapped so field paths read "rateLimit.burst", the same as for a request body.
        Validation.check(validator, new Body(u));
    }

    record Body(@Valid VersionUpdate body) {
    }

    private static ServiceVersion moved(ServiceVersion v, VersionStatus to, TransitionRequest t, Instant now) {
        Instant publishedAt = to == VersionStatus.PUBLISHED ? now : v.publishedAt();
        Instant deprecatedAt = to == VersionStatus.DEPRECATED ? now : v.deprecatedAt();
        Instant sunsetAt = to == VersionStatus.DEPRECATED ? t.sunsetAt() : v.sunsetAt();
        Instant noticeAt = to == VersionStatus.DEPRECATED && t.retireAt() != null ? now : v.retirementNoticeAt();
        Instant retireAt = to == VersionStatus.DEPRECATED && t.retireAt() != null ? t.retireAt() : v.retireAt();
        Instant retiredAt = to == VersionStatus.RETIRED ? now : v.retiredAt();
        return new ServiceVersion(v.serviceCode(), v.version(), to, v.upstreams(), v.upstreamAuth(), v.timeoutMs(),
                v.requestFormat(), v.responseFormat(), v.convert(), v.maxRequestBytes(), v.maxConnections(), v.pipelining(), v.rateLimit(),
                v.accessRules(), v.openapi(), v.createdAt(), now, publishedAt, deprecatedAt, sunsetAt, noticeAt, retireAt, retiredAt,
                v.rowVersion() + 1);
    }

    /**
     * Which operations need which level changed (REQUIREMENTS A3): every open subscriber is told, with the level it
     * holds, since an operation it used may now need more (routing applies the rules within seconds).
     */
    private Uni<Void> tellAccessChange(SqlConnection conn, ServiceVersion v, String reason, Instant now, Outcome out) {
        return subscriptions.openFor(conn, v.serviceCode(), v.version()).chain(subs -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Subscription s : subs) {
                String comment = "The access rules of " + v.serviceCode() + " " + v.version() + " changed; your "
                        + "subscription grants " + s.accessLevel() + ". The version's accessRules say which operations "
                        + "need which level" + (reason == null || reason.isBlank() ? "." : ". Why: " + reason.strip());
                Notification n = new Notification(null, s.id(), s.consumerSystem(), s.consumerAgency(), s.serviceCode(),
                        s.version(), ACCESS_RULES_CHANGED, v.status().wire(), v.status().wire(), null, null, null, null,
                        null, null, s.accessLevel(), comment, now);
                chain = chain.chain(() -> notices.send(conn, s, n)).invoke(queued -> out.webhooks |= queued)
                        .replaceWithVoid();
            }
            return chain;
        });
    }

    public static final String ACCESS_RULES_CHANGED = "version.access-changed";

    /** Save, record history, notify subscribers, end subscriptions of a retired version, append to the feed. */
    private Uni<ServiceVersion> apply(SqlConnection conn, Actor actor, Outcome out, ServiceVersion next, String action,
            String comment, String event, Instant now) {
        ServiceVersion before = out.before;
        return versions.saveLifecycle(conn, next)
                .chain(() -> versions.addHistory(conn, new HistoryEntry(next.serviceCode(), next.version(), action,
                        before.status().wire(), next.status().wire(), actor.name(), now, comment, next.sunsetAt(),
                        next.retireAt(), null)))
                .chain(() -> subscriptions.openFor(conn, next.serviceCode(), next.version()))
                .chain(subs -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Subscription s : subs) {
                        Notification n = new Notification(null, s.id(), s.consumerSystem(), s.consumerAgency(),
                                s.serviceCode(), s.version(), event, before.status().wire(), next.status().wire(),
                                next.sunsetAt(), next.retireAt(), null, comment, now);
                        // The delivery row commits with the notification; sending happens after the commit.
                        chain = chain.chain(() -> notices.send(conn, s, n)).invoke(queued -> out.webhooks |= queued)
                                .replaceWithVoid();
                        if (next.status() == VersionStatus.RETIRED) {
                            // A retired version serves nobody: its subscriptions end with it, and routing is told.
                            Subscription ended = s.withState(SubscriptionStatus.ENDED, s.requestsPerSecond(), s.burst(),
                                    s.dailyQuota(), "version retired", actor.name(), now);
                            chain = chain.chain(() -> subscriptions.saveState(conn, ended))
                                    .chain(() -> changeLog.subscription(conn, ended.toEntry()));
                        }
                    }
                    return chain;
                })
                .chain(() -> changeLog.route(conn, versions.route(next, out.service.providerSystemCode(),
                        out.service.ownerAgencyCode())))
                .replaceWith(next);
    }

    private void after(Actor actor, Outcome out, ServiceVersion saved, String action) {
        audit.record(actor.name(), action, "service-version", saved.serviceCode() + ":" + saved.version(),
                out.service.ownerAgencyCode(), out.before.withoutDocument(), saved.withoutDocument());
        if (out.webhooks) {
            dispatcher.kick();
        }
    }

    private Uni<DataService> ownedService(SqlConnection conn, Actor actor, String code, String what) {
        return services.find(conn, code, true).map(svc -> {
            if (svc == null) {
                throw ProblemException.notFound("Data service " + code);
            }
            actor.requireOperatorOr(what, svc.ownerAgencyCode());
            return svc;
        });
    }

    /** Locks the service row, which serialises lifecycle changes of all its versions (the overlap rule spans them). */
    private Uni<Void> ownedService(SqlConnection conn, Actor actor, String what, String code, Outcome out) {
        return ownedService(conn, actor, code, what).invoke(svc -> out.service = svc).replaceWithVoid();
    }

    private Uni<ServiceVersion> lockedVersion(SqlConnection conn, String code, String version) {
        return versions.find(conn, code, version, true).map(v -> {
            if (v == null) {
                throw ProblemException.notFound("Version " + version + " of service " + code);
            }
            return v;
        });
    }

    private static final class Holder<T> {
        T value;
    }

    /** What a lifecycle change learnt inside its transaction and acts on after the commit. */
    private static final class Outcome {
        DataService service;
        ServiceVersion before;
        boolean webhooks;
    }

}
