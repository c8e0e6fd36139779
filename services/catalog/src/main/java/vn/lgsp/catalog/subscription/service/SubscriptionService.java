package vn.lgsp.catalog.subscription.service;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import vn.lgsp.catalog.client.RegistryClient;
import vn.lgsp.catalog.dataservice.domain.DataService;
import vn.lgsp.catalog.dataservice.repository.DataServiceRepository;
import vn.lgsp.catalog.feed.repository.ChangeLog;
import vn.lgsp.catalog.notification.repository.NotificationRepository.Notification;
import vn.lgsp.catalog.notification.service.Notices;
import vn.lgsp.catalog.subscription.domain.Decision;
import vn.lgsp.catalog.subscription.domain.PeriodChange;
import vn.lgsp.catalog.subscription.domain.Subscription;
import vn.lgsp.catalog.subscription.domain.SubscriptionRequest;
import vn.lgsp.catalog.subscription.domain.SubscriptionStatus;
import vn.lgsp.catalog.subscription.repository.SubscriptionRepository;
import vn.lgsp.catalog.support.Actor;
import vn.lgsp.catalog.support.FieldErrors;
import vn.lgsp.catalog.version.domain.ServiceVersion;
import vn.lgsp.catalog.version.domain.VersionStatus;
import vn.lgsp.catalog.version.repository.VersionRepository;
import vn.lgsp.catalog.webhook.service.WebhookDestinationGuard;
import vn.lgsp.catalog.webhook.service.WebhookDispatcher;
import vn.lgsp.catalog.subscription.domain.AccessChange;
import vn.lgsp.common.access.AccessLevel;
import vn.lgsp.common.audit.AdminAudit;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.common.time.ProvinceCalendar;

/**
 * Applications and their decisions. The consumer side (operator or the consumer system's agency admin) applies,
 * ends and carries over; the provider side (operator or the owner agency's admin) approves, rejects, suspends,
 * resumes and ends. Every status change goes to routing's change feed in the same transaction.
 */
@ApplicationScoped
public class SubscriptionService {

    public enum Action {
        APPROVE, REJECT, SUSPEND, RESUME, END
    }

    @Inject
    Pool pool;

    @Inject
    SubscriptionRepository subscriptions;

    @Inject
    VersionRepository versions;

    @Inject
    DataServiceRepository services;

    @Inject
    RegistryClient registry;

    @Inject
    ChangeLog changeLog;

    @Inject
    AdminAudit audit;

    @Inject
    WebhookDestinationGuard destinations;

    @Inject
    Clock clock;

    @Inject
    Notices notices;

    @Inject
    WebhookDispatcher dispatcher;

    public static final String PERIOD_CHANGED = "subscription.period-changed";
    public static final String ACCESS_CHANGED = "subscription.access-changed";

    @WithSpan("catalog.subscription.create")
    public Uni<Subscription> create(Actor actor, SubscriptionRequest r) {
        FieldErrors errors = new FieldErrors();
        LocalDate today = ProvinceCalendar.dateOf(clock.instant());
        if (r.periodEnd().isBefore(r.periodStart())) {
            errors.add("periodEnd", "notBeforeStart", "must be on or after periodStart");
        } else if (r.periodEnd().isBefore(today)) {
            errors.add("periodEnd", "notPast", "must not be in the past");
        }
        Uni<Void> destination = Uni.createFrom().voidItem();
        if (r.webhookUrl() != null && !FieldErrors.isHttpUrl(r.webhookUrl())) {
            errors.add("webhookUrl", "httpUrl", "must be an absolute http:// or https:// URL");
        } else if (r.webhookUrl() != null) {
            destination = destinations.check(r.webhookUrl()).invoke(c -> WebhookDestinationGuard.refuseInternal(errors, c)).replaceWithVoid();
        }
        return destination.invoke(errors::throwIfAny)
                .chain(() -> registry.requireSystem(r.consumerSystemCode(), "consumerSystemCode"))
                .chain(system -> {
                    actor.requireOperatorOr("apply on behalf of system " + r.consumerSystemCode(), system.agencyCode());
                    Instant now = clock.instant();
                    String level = r.accessLevel() == null ? AccessLevel.DEFAULT.wire() : r.accessLevel();
                    Subscription s = new Subscription(UUID.randomUUID(), r.serviceCode(), r.version(), r.consumerSystemCode(),
                            system.agencyCode(), r.environment(), r.purpose(), r.expectedFrequency(), level, level,
                            r.periodStart(), r.periodEnd(), r.webhookUrl(), SubscriptionStatus.PENDING, null, null, null, null,
                            null, actor.name(), null, now, now);
                    return pool.withTransaction(conn -> insertPending(conn, s, "version"));
                }).invoke(s -> audit.record(actor.name(), "subscription.create", "subscription", s.id().toString(),
                        s.consumerAgency(), null, s));
    }

    // Carried over, the webhook URL is not newly given: deliveries check it each time.
    @WithSpan("catalog.subscription.carry-over")
    public Uni<Subscription> carryOver(Actor actor, UUID id, String toVersion) {
        Instant now = clock.instant();
        return pool.withTransaction(conn -> subscriptions.lock(conn, id).chain(from -> {
            actor.requireOperatorOr("carry over this subscription", from.consumerAgency());
            if (from.status() != SubscriptionStatus.ACTIVE && from.status() != SubscriptionStatus.SUSPENDED) {
                throw FieldErrors.of(ProblemType.CONFLICT, "id", "activeOrSuspended",
                        "Only an active or suspended subscription can be carried over; this one is " + from.status().wire());
            }
            if (Integer.parseInt(toVersion.substring(1)) <= Integer.parseInt(from.version().substring(1))) {
                throw FieldErrors.of(ProblemType.VALIDATION, "toVersion", "newerMajor",
                        "toVersion must be a newer major version than " + from.version());
            }
            // the same use: the level granted on the old version is what is applied for on the new one
            Subscription s = new Subscription(UUID.randomUUID(), from.serviceCode(), toVersion, from.consumerSystem(),
                    from.consumerAgency(), from.environment(), from.purpose(), from.expectedFrequency(), from.accessLevel(),
                    from.accessLevel(), from.periodStart(), from.periodEnd(), from.webhookUrl(), SubscriptionStatus.PENDING,
                    null, null, null, null, from.id(), actor.name(), null, now, now);
            return insertPending(conn, s, "toVersion");
        })).invoke(s -> audit.record(actor.name(), "subscription.carry-over", "subscription", s.id().toString(),
                s.consumerAgency(), null, s));
    }

    /** Checks the target version accepts subscribers, then stores a pending application and announces it. */
    private Uni<Subscription> insertPending(SqlConnection conn, Subscription s, String versionField) {
        return versions.find(conn, s.serviceCode(), s.version(), false).chain(v -> {
            if (v == null) {
                throw FieldErrors.of(ProblemType.UNPROCESSABLE, versionField, "exists",
                        "Service " + s.serviceCode() + " has no version " + s.version());
            }
            requireSubscribable(v, s.environment(), versionField);
            return subscriptions.insert(conn, s);
        }).chain(inserted -> {
            if (!inserted) {
                throw ProblemException.duplicate("consumerSystemCode", "System " + s.consumerSystem()
                        + " already has an open subscription to " + s.serviceCode() + " " + s.version() + " in " + s.environment());
            }
            return changeLog.subscription(conn, s.toEntry());
        }).replaceWith(s);
    }

    private static void requireSubscribable(ServiceVersion v, String environment, String field) {
        switch (v.status()) {
            case DRAFT -> throw FieldErrors.of(ProblemType.CONFLICT, field, "notDraft",
                    "Version " + v.version() + " is a draft: it cannot be subscribed to yet");
            case RETIRED -> throw FieldErrors.of(ProblemType.CONFLICT, field, "notRetired",
                    "Version " + v.version() + " is retired");
            case DEPRECATED -> throw FieldErrors.of(ProblemType.CONFLICT, field, "notDeprecated",
                    "Version " + v.version() + " is deprecated: subscribe to its successor");
            case TESTING -> {
                if (!"test".equals(environment)) {
                    throw FieldErrors.of(ProblemType.CONFLICT, "environment", "testingOnlyInTest",
                            "Version " + v.version() + " is in testing: only the test environment may use it");
                }
            }
            default -> {
            }
        }
    }

    @WithSpan("catalog.subscription.decide")
    public Uni<Subscription> decide(Actor actor, UUID id, Action action, Decision d) {
        Decision body = d == null ? Decision.EMPTY : d;
        if (action == Action.REJECT && (body.reason() == null || body.reason().isBlank())) {
            throw ProblemException.field("reason", "required", "A rejection needs a reason the applicant can act on");
        }
        Instant now = clock.instant();
        Subscription[] before = new Subscription[1];
        DataService[] provider = new DataService[1];
        return pool.withTransaction(conn -> subscriptions.lock(conn, id).chain(s -> {
            before[0] = s;
            return services.find(conn, s.serviceCode(), false).invoke(svc -> provider[0] = svc).replaceWith(s);
        }).chain(s -> {
            String owner = provider[0].ownerAgencyCode();
            if (action == Action.END) {
                actor.requireOperatorOr("end this subscription", owner, s.consumerAgency());
            } else {
                actor.requireOperatorOr(action.name().toLowerCase() + " subscriptions to this service", owner);
            }
            SubscriptionStatus to = target(action, s.status());
            Uni<Subscription> next;
            if (action == Action.APPROVE) {
                next = versions.find(conn, s.serviceCode(), s.version(), false).map(v -> {
                    if (v.status() == VersionStatus.RETIRED || v.status() == VersionStatus.DRAFT) {
                        throw FieldErrors.of(ProblemType.CONFLICT, "version", "subscribable",
                                "Version " + v.version() + " is " + v.status().wire() + ": nothing to approve");
                    }
                    if (v.status() == VersionStatus.TESTING && !"test".equals(s.environment())) {
                        throw FieldErrors.of(ProblemType.CONFLICT, "environment", "testingOnlyInTest",
                                "Version " + v.version() + " is in testing: only the test environment may use it");
                    }
                    if (s.periodEnd().isBefore(ProvinceCalendar.dateOf(now))) {
                        throw FieldErrors.of(ProblemType.CONFLICT, "periodEnd", "notPast", "The period of use applied for "
                                + "ended on " + s.periodEnd() + ": change it (PUT .../period) or reject the application");
                    }
                    AccessLevel asked = AccessLevel.of(s.requestedAccessLevel());
                    AccessLevel granted = body.accessLevel() == null ? asked : AccessLevel.of(body.accessLevel());
                    if (!asked.covers(granted)) {
                        // least privilege (Art. 21.2.c): more than the applicant asked for is a new application
                        throw FieldErrors.of(ProblemType.UNPROCESSABLE, "accessLevel", "notAboveRequested",
                                "The application asked for " + asked.wire() + "; " + granted.wire()
                                        + " cannot be granted on it (grant " + asked.wire() + " or lower)");
                    }
                    return s.withAccessLevel(s.requestedAccessLevel(), granted.wire(), s.reason(), now).withState(to,
                            orElse(body.requestsPerSecond(), v.rateLimit().requestsPerSecond()),
                            orElse(body.burst(), v.rateLimit().burst()), orElse(body.dailyQuota(), v.rateLimit().dailyQuota()),
                            body.reason(), actor.name(), now);
                });
            } else {
                // As for approving: a subscription is not made active for a period already over (the sweep would end
                // it again, and routing refuses it meanwhile); extending the period comes first.
                if (action == Action.RESUME && s.periodEnd().isBefore(ProvinceCalendar.dateOf(now))) {
                    throw FieldErrors.of(ProblemType.CONFLICT, "periodEnd", "notPast", "The period of use ended on "
                            + s.periodEnd() + ": extend it (PUT .../period) before resuming, or end the subscription");
                }
                next = Uni.createFrom().item(s.withState(to, s.requestsPerSecond(), s.burst(), s.dailyQuota(),
                        body.reason() == null ? s.reason() : body.reason(), actor.name(), now));
            }
            return next.call(n -> subscriptions.saveState(conn, n)).call(n -> changeLog.subscription(conn, n.toEntry()));
        })).invoke(n -> audit.record(actor.name(), "subscription." + action.name().toLowerCase(), "subscription",
                n.id().toString(), n.consumerAgency(), before[0], n));
    }

    /**
     * Moves the last day of the period of use (provider side: operator or the service's owner agency), for a pending,
     * active or suspended subscription: extends it before it runs out, or shortens it. routing applies it within
     * seconds; the subscriber is told ({@code subscription.period-changed}) and will be warned again before the new end.
     */
    @WithSpan("catalog.subscription.period")
    public Uni<Subscription> changePeriod(Actor actor, UUID id, PeriodChange change) {
        Instant now = clock.instant();
        LocalDate today = ProvinceCalendar.dateOf(now);
        Subscription[] before = new Subscription[1];
        boolean[] webhook = new boolean[1];
        return pool.withTransaction(conn -> subscriptions.lock(conn, id).chain(s -> {
            before[0] = s;
            return services.find(conn, s.serviceCode(), false).map(svc -> {
                actor.requireOperatorOr("change the period of subscriptions to this service", svc.ownerAgencyCode());
                return s;
            });
        }).chain(s -> {
            if (s.status() != SubscriptionStatus.PENDING && s.status() != SubscriptionStatus.ACTIVE
                    && s.status() != SubscriptionStatus.SUSPENDED) {
                throw FieldErrors.of(ProblemType.CONFLICT, "id", "open",
                        "Only a pending, active or suspended subscription has a period to change; this one is " + s.status().wire());
            }
            FieldErrors errors = new FieldErrors();
            if (change.periodEnd().isBefore(s.periodStart())) {
                errors.add("periodEnd", "notBeforeStart", "must be on or after the period's start, " + s.periodStart());
            } else if (change.periodEnd().isBefore(today)) {
                errors.add("periodEnd", "notPast", "must not be in the past (today is " + today + " in Asia/Ho_Chi_Minh)");
            }
            errors.throwIfAny();
            String why = change.reason() == null || change.reason().isBlank() ? s.reason() : change.reason();
            Subscription next = s.withPeriodEnd(change.periodEnd(), why, now);
            Notification n = new Notification(null, s.id(), s.consumerSystem(), s.consumerAgency(), s.serviceCode(),
                    s.version(), PERIOD_CHANGED, s.status().wire(), s.status().wire(), null, null, next.periodEnd(),
                    "The period of use now ends on " + next.periodEnd() + " (was " + s.periodEnd() + ")"
                            + (change.reason() == null || change.reason().isBlank() ? "" : ": " + change.reason()), now);
            return subscriptions.savePeriodEnd(conn, next)
                    .chain(() -> changeLog.subscription(conn, next.toEntry()))
                    .chain(() -> notices.send(conn, next, n)).invoke(queued -> webhook[0] = queued)
                    .replaceWith(next);
        })).invoke(n -> {
            audit.record(actor.name(), "subscription.period", "subscription", n.id().toString(), n.consumerAgency(),
                    before[0], n);
            if (webhook[0]) {
                dispatcher.kick();
            }
        });
    }

    /**
     * Changes the access level (REQUIREMENTS A3, Art. 21.5.c: levels are reviewed and kept current). The provider side
     * (operator or the service's owner agency) grants any level to an active or suspended subscription; the consumer
     * side (the consumer agency's admin) may only lower it, or change what a pending application asks for. routing
     * applies it within seconds and the subscriber is told ({@code subscription.access-changed}).
     */
    @WithSpan("catalog.subscription.access-level")
    public Uni<Subscription> changeAccessLevel(Actor actor, UUID id, AccessChange change) {
        Instant now = clock.instant();
        AccessLevel wanted = AccessLevel.of(change.accessLevel());
        Subscription[] before = new Subscription[1];
        boolean[] webhook = new boolean[1];
        return pool.withTransaction(conn -> subscriptions.lock(conn, id).chain(s -> {
            before[0] = s;
            return services.find(conn, s.serviceCode(), false).map(svc -> {
                boolean provider = actor.isOperator() || actor.administers(svc.ownerAgencyCode());
                boolean consumer = actor.administers(s.consumerAgency());
                if (!provider && !consumer) {
                    throw ProblemException.forbidden("Only an operator or an admin of agency " + svc.ownerAgencyCode()
                            + " or " + s.consumerAgency() + " may change this subscription's access level");
                }
                AccessLevel current = AccessLevel.of(s.accessLevel());
                switch (s.status()) {
                    case PENDING -> {
                        if (!actor.isOperator() && !consumer) {
                            throw FieldErrors.of(ProblemType.CONFLICT, "accessLevel", "decidedOnApproval",
                                    "The application is pending: the provider grants its level when approving it");
                        }
                    }
                    case ACTIVE, SUSPENDED -> {
                        if (!provider && !current.covers(wanted)) {
                            throw FieldErrors.of(ProblemType.FORBIDDEN, "accessLevel", "notRaisedByConsumer",
                                    "The consumer side may only lower the level (" + current.wire() + " now); "
                                            + wanted.wire() + " is granted by the provider");
                        }
                    }
                    default -> throw FieldErrors.of(ProblemType.CONFLICT, "id", "open",
                            "Only a pending, active or suspended subscription has a level to change; this one is "
                                    + s.status().wire());
                }
                return s;
            });
        }).chain(s -> {
            String why = change.reason() == null || change.reason().isBlank() ? s.reason() : change.reason();
            if (s.status() == SubscriptionStatus.PENDING) {
                Subscription next = s.withAccessLevel(wanted.wire(), wanted.wire(), why, now);
                return subscriptions.saveAccessLevel(conn, next).chain(() -> changeLog.subscription(conn, next.toEntry()))
                        .replaceWith(next);
            }
            if (s.accessLevel().equals(wanted.wire())) {
                return Uni.createFrom().item(s);
            }
            // Agreed from now on, whichever side changed it: what the application once asked for is in the audit log.
            Subscription next = s.withAccessLevel(wanted.wire(), wanted.wire(), why, now);
            Notification n = new Notification(null, s.id(), s.consumerSystem(), s.consumerAgency(), s.serviceCode(),
                    s.version(), ACCESS_CHANGED, s.status().wire(), s.status().wire(), null, null, null, null, null, null,
                    next.accessLevel(), "The access level is now " + next.accessLevel() + " (was " + s.accessLevel() + ")"
                            + (change.reason() == null || change.reason().isBlank() ? "" : ": " + change.reason()), now);
            return subscriptions.saveAccessLevel(conn, next)
                    .chain(() -> changeLog.subscription(conn, next.toEntry()))
                    .chain(() -> notices.send(conn, next, n)).invoke(queued -> webhook[0] = queued)
                    .replaceWith(next);
        })).invoke(n -> {
            if (n != before[0]) {
                audit.record(actor.name(), "subscription.access-level", "subscription", n.id().toString(),
                        n.consumerAgency(), before[0], n);
            }
            if (webhook[0]) {
                dispatcher.kick();
            }
        });
    }

    private static SubscriptionStatus target(Action action, SubscriptionStatus from) {
        SubscriptionStatus to = switch (action) {
            case APPROVE -> from == SubscriptionStatus.PENDING ? SubscriptionStatus.ACTIVE : null;
            case REJECT -> from == SubscriptionStatus.PENDING ? SubscriptionStatus.REJECTED : null;
            case SUSPEND -> from == SubscriptionStatus.ACTIVE ? SubscriptionStatus.SUSPENDED : null;
            case RESUME -> from == SubscriptionStatus.SUSPENDED ? SubscriptionStatus.ACTIVE : null;
            case END -> from == SubscriptionStatus.ACTIVE || from == SubscriptionStatus.SUSPENDED ? SubscriptionStatus.ENDED : null;
        };
        if (to == null) {
            String wanted = switch (action) {
                case APPROVE, RESUME -> "active";
                case REJECT -> "rejected";
                case SUSPEND -> "suspended";
                case END -> "ended";
            };
            throw ProblemException.illegalTransition(from.wire(), wanted);
        }
        return to;
    }

    public Uni<Subscription> get(Actor actor, UUID id) {
        return subscriptions.find(pool, id, false).chain(s -> {
            if (s == null) {
                throw ProblemException.notFound("Subscription " + id);
            }
            if (actor.isOperator() || actor.is(vn.lgsp.common.security.Roles.AUDITOR)
                    || actor.is(vn.lgsp.common.security.Roles.SERVICE) || actor.administers(s.consumerAgency())) {
                return Uni.createFrom().item(s);
            }
            return services.find(s.serviceCode()).map(svc -> {
                if (!actor.administers(svc.ownerAgencyCode())) {
                    // Not yours: answer as if it did not exist, so ids of other agencies cannot be probed.
                    throw ProblemException.notFound("Subscription " + id);
                }
                return s;
            });
        });
    }

    private static <T> T orElse(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
