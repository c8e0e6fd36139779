package vn.lgsp.catalog.version.service;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import vn.lgsp.catalog.dataservice.domain.DataService;
import vn.lgsp.catalog.dataservice.repository.DataServiceRepository;
import vn.lgsp.catalog.feed.repository.ChangeLog;
import vn.lgsp.catalog.notification.repository.NotificationRepository;
import vn.lgsp.catalog.notification.repository.NotificationRepository.Notification;
import vn.lgsp.catalog.notification.repository.WebhookSender;
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
import vn.lgsp.catalog.version.repository.VersionRepository;
import vn.lgsp.catalog.version.repository.VersionRepository.HistoryEntry;
import vn.lgsp.common.audit.AdminAudit;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;

/**
 * Versions and their lifecycle. Each change runs in one transaction with its history row, the subscribers'
 * notifications and the change-feed entry; webhooks and the audit record follow the commit.
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
    NotificationRepository notifications;

    @Inject
    ChangeLog changeLog;

    @Inject
    WebhookSender webhooks;

    @Inject
    AdminAudit audit;

    @Inject
    Clock clock;

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
                r.rateLimit() == null ? RateLimit.DEFAULT : r.rateLimit().withDefaults(),
                r.openapi() == null || r.openapi().isNull() ? null : r.openapi(), now, now, null, null, null, null, null, null);
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
                            v.maxRequestBytes(), v.rateLimit(), v.openapi(), v.createdAt(), now, v.publishedAt(),
                            v.deprecatedAt(), v.sunsetAt(), now, notice.retireAt(), v.retiredAt());
                    return apply(conn, actor, out, next, "retirement-notice", notice.comment(), "version.retirement-notice", now);
                }))
                .invoke(saved -> after(actor, out, saved, "version.retirement-notice"));
    }

    private static ServiceVersion moved(ServiceVersion v, VersionStatus to, TransitionRequest t, Instant now) {
        Instant publishedAt = to == VersionStatus.PUBLISHED ? now : v.publishedAt();
        Instant deprecatedAt = to == VersionStatus.DEPRECATED ? now : v.deprecatedAt();
        Instant sunsetAt = to == VersionStatus.DEPRECATED ? t.sunsetAt() : v.sunsetAt();
        Instant noticeAt = to == VersionStatus.DEPRECATED && t.retireAt() != null ? now : v.retirementNoticeAt();
        Instant retireAt = to == VersionStatus.DEPRECATED && t.retireAt() != null ? t.retireAt() : v.retireAt();
        Instant retiredAt = to == VersionStatus.RETIRED ? now : v.retiredAt();
        return new ServiceVersion(v.serviceCode(), v.version(), to, v.upstreams(), v.upstreamAuth(), v.timeoutMs(),
                v.requestFormat(), v.responseFormat(), v.convert(), v.maxRequestBytes(), v.rateLimit(), v.openapi(),
                v.createdAt(), now, publishedAt, deprecatedAt, sunsetAt, noticeAt, retireAt, retiredAt);
    }

    /** Save, record history, notify subscribers, end subscriptions of a retired version, append to the feed. */
    private Uni<ServiceVersion> apply(SqlConnection conn, Actor actor, Outcome out, ServiceVersion next, String action,
            String comment, String event, Instant now) {
        ServiceVersion before = out.before;
        return versions.saveLifecycle(conn, next)
                .chain(() -> versions.addHistory(conn, new HistoryEntry(next.serviceCode(), next.version(), action,
                        before.status().wire(), next.status().wire(), actor.name(), now, comment, next.sunsetAt(),
                        next.retireAt())))
                .chain(() -> subscriptions.openFor(conn, next.serviceCode(), next.version()))
                .chain(subs -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Subscription s : subs) {
                        Notification n = new Notification(null, s.id(), s.consumerSystem(), s.consumerAgency(),
                                s.serviceCode(), s.version(), event, before.status().wire(), next.status().wire(),
                                next.sunsetAt(), next.retireAt(), comment, now);
                        if (s.webhookUrl() != null) {
                            out.webhooks.add(new Webhook(s.webhookUrl(), n));
                        }
                        chain = chain.chain(() -> notifications.insert(conn, n));
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
        out.webhooks.forEach(w -> webhooks.send(w.url(), w.notification()));
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
        final List<Webhook> webhooks = new ArrayList<>();
    }

    private record Webhook(String url, Notification notification) {
    }
}
