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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import vn.lgsp.catalog.dataservice.repository.DataServiceRepository;
import vn.lgsp.catalog.feed.repository.ChangeLog;
import vn.lgsp.catalog.notification.repository.NotificationRepository.Notification;
import vn.lgsp.catalog.notification.service.Notices;
import vn.lgsp.catalog.subscription.domain.ChangeRequest;
import vn.lgsp.catalog.subscription.domain.ChangeRequestStatus;
import vn.lgsp.catalog.subscription.domain.ChangeTerms;
import vn.lgsp.catalog.subscription.domain.Subscription;
import vn.lgsp.catalog.subscription.domain.SubscriptionStatus;
import vn.lgsp.catalog.subscription.repository.ChangeRequestRepository;
import vn.lgsp.catalog.subscription.repository.SubscriptionRepository;
import vn.lgsp.catalog.support.Actor;
import vn.lgsp.catalog.support.FieldErrors;
import vn.lgsp.catalog.webhook.service.WebhookDispatcher;
import vn.lgsp.common.access.AccessLevel;
import vn.lgsp.common.audit.AdminAudit;
import vn.lgsp.common.paging.Page;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.common.security.Roles;
import vn.lgsp.common.time.ProvinceCalendar;

/**
 * Change requests: what the consumer side of a subscription cannot change itself — a higher access level (A3: levels
 * are granted by the provider, Art. 21.5.c review) or a later last day of use (C4: the operator approves the period) —
 * it asks the provider side for, with a reason. The provider side approves all or less of it, or rejects it with a
 * reason; the subscriber is told either way. The consumer side may withdraw a pending request; one still pending when
 * its subscription ends lapses ({@link SubscriptionRepository#saveState}). Each step is audited.
 *
 * <p>Locks: the subscription row first, then the request's, as creating one does, so a decision racing a new request
 * or the period sweep waits instead of deadlocking.
 */
@ApplicationScoped
public class ChangeRequestService {

    public static final String APPROVED = "subscription.change-approved";
    public static final String REJECTED = "subscription.change-rejected";

    @Inject
    Pool pool;

    @Inject
    ChangeRequestRepository requests;

    @Inject
    SubscriptionRepository subscriptions;

    @Inject
    DataServiceRepository services;

    @Inject
    ChangeLog changeLog;

    @Inject
    Notices notices;

    @Inject
    WebhookDispatcher dispatcher;

    @Inject
    AdminAudit audit;

    @Inject
    Clock clock;

    /** The consumer side asks; 201 with the pending request. */
    @WithSpan("catalog.change-request.create")
    public Uni<ChangeRequest> create(Actor actor, UUID subscriptionId, ChangeTerms ask) {
        FieldErrors errors = new FieldErrors();
        if (ask.accessLevel() == null && ask.periodEnd() == null) {
            errors.add("accessLevel", "accessLevelOrPeriodEnd",
                    "ask for a higher accessLevel, a later periodEnd, or both");
        }
        if (ask.reason() == null || ask.reason().isBlank()) {
            errors.add("reason", "required", "say why: the provider decides on it");
        }
        errors.throwIfAny();
        Instant now = clock.instant();
        LocalDate today = ProvinceCalendar.dateOf(now);
        return pool.withTransaction(conn -> subscriptions.lock(conn, subscriptionId).chain(s -> {
            actor.requireOperatorOr("ask for changes to this subscription", s.consumerAgency());
            if (s.status() != SubscriptionStatus.ACTIVE && s.status() != SubscriptionStatus.SUSPENDED) {
                throw FieldErrors.of(ProblemType.CONFLICT, "subscriptionId", "activeOrSuspended",
                        "Changes are asked of an active or suspended subscription; this one is " + s.status().wire()
                                + (s.status() == SubscriptionStatus.PENDING
                                        ? " (change what the application asks for with PUT .../access-level)" : ""));
            }
            FieldErrors wrong = new FieldErrors();
            AccessLevel current = AccessLevel.of(s.accessLevel());
            if (ask.accessLevel() != null && current.covers(AccessLevel.of(ask.accessLevel()))) {
                wrong.add("accessLevel", "aboveCurrent", "must be above the level held, " + current.wire()
                        + " (the consumer side lowers it itself: PUT /api/v1/subscriptions/{id}/access-level)");
            }
            if (ask.periodEnd() != null && !ask.periodEnd().isAfter(s.periodEnd())) {
                wrong.add("periodEnd", "afterCurrent", "must be after the period's last day, " + s.periodEnd());
            } else if (ask.periodEnd() != null && ask.periodEnd().isBefore(today)) {
                wrong.add("periodEnd", "notPast", "must not be in the past (today is " + today + " in Asia/Ho_Chi_Minh)");
            }
            if (!wrong.isEmpty()) {
                throw wrong.toProblem(ProblemType.UNPROCESSABLE);
            }
            ChangeRequest r = new ChangeRequest(UUID.randomUUID(), s.id(), s.serviceCode(), s.version(), s.consumerSystem(),
                    s.consumerAgency(), s.environment(), ChangeRequestStatus.PENDING, ask.accessLevel(), ask.periodEnd(),
                    ask.reason(), s.accessLevel(), s.periodEnd(), null, null, null, actor.name(), null, now, null);
            return requests.insert(conn, r).map(inserted -> {
                if (!inserted) {
                    throw FieldErrors.of(ProblemType.DUPLICATE, "subscriptionId", "onePending", "Subscription " + s.id()
                            + " already has a pending change request: withdraw it first or wait for the decision");
                }
                return r;
            });
        })).invoke(r -> audit.record(actor.name(), "change-request.create", "change-request", r.id().toString(),
                r.consumerAgency(), null, r));
    }

    /** The provider side grants what was asked, or less of it. */
    @WithSpan("catalog.change-request.approve")
    public Uni<ChangeRequest> approve(Actor actor, UUID id, ChangeTerms grant) {
        ChangeTerms g = grant == null ? ChangeTerms.EMPTY : grant;
        Instant now = clock.instant();
        LocalDate today = ProvinceCalendar.dateOf(now);
        return decide(actor, id, ChangeRequestStatus.APPROVED, (conn, r, s) -> {
            FieldErrors wrong = new FieldErrors();
            String level = null;
            if (g.accessLevel() != null && r.accessLevel() == null) {
                wrong.add("accessLevel", "notRequested", "the request does not ask for another access level");
            } else if (r.accessLevel() != null) {
                AccessLevel asked = AccessLevel.of(r.accessLevel());
                AccessLevel current = AccessLevel.of(s.accessLevel());
                // Raised to the level asked (or beyond) meanwhile: that term is met as it stands, so the other one can
                // still be granted.
                AccessLevel granted = g.accessLevel() != null ? AccessLevel.of(g.accessLevel())
                        : asked.covers(current) ? asked : current;
                if (granted == current) {
                    level = granted.wire();
                } else if (!asked.covers(granted)) {
                    wrong.add("accessLevel", "notAboveRequested", "the request asks for " + asked.wire() + "; grant it or less");
                } else if (!granted.covers(current)) {
                    wrong.add("accessLevel", "notBelowCurrent", "the subscription holds " + current.wire()
                            + "; lowering it is a change of its own (PUT /api/v1/subscriptions/{id}/access-level)");
                } else {
                    level = granted.wire();
                }
            }
            LocalDate end = null;
            if (g.periodEnd() != null && r.periodEnd() == null) {
                wrong.add("periodEnd", "notRequested", "the request does not ask for another period of use");
            } else if (r.periodEnd() != null) {
                LocalDate granted = g.periodEnd() != null ? g.periodEnd()
                        : r.periodEnd().isBefore(s.periodEnd()) ? s.periodEnd() : r.periodEnd();
                if (granted.equals(s.periodEnd()) && !granted.isBefore(today)) {
                    end = granted;
                } else if (granted.isAfter(r.periodEnd())) {
                    wrong.add("periodEnd", "notAfterRequested", "the request asks for " + r.periodEnd() + "; grant it or earlier");
                } else if (granted.isBefore(s.periodEnd())) {
                    wrong.add("periodEnd", "notBeforeCurrent", "the period already runs to " + s.periodEnd()
                            + "; shortening it is a change of its own (PUT /api/v1/subscriptions/{id}/period)");
                } else if (granted.isBefore(today)) {
                    wrong.add("periodEnd", "notPast", "must not be in the past (today is " + today + " in Asia/Ho_Chi_Minh)");
                } else {
                    end = granted;
                }
            }
            if (!wrong.isEmpty()) {
                throw wrong.toProblem(ProblemType.UNPROCESSABLE);
            }
            String why = blank(g.reason()) ? r.reason() : g.reason();
            Subscription next = s;
            if (level != null) {
                next = next.withAccessLevel(r.accessLevel(), level, why, now);
            }
            if (end != null) {
                next = next.withPeriodEnd(end, why, now);
            }
            Subscription changed = next;
            ChangeRequest decided = r.decided(ChangeRequestStatus.APPROVED, level, end, g.reason(), actor.name(), now);
            List<String> told = new ArrayList<>();
            if (level != null) {
                told.add("access level " + level + (level.equals(s.accessLevel()) ? " (unchanged)" : " (was " + s.accessLevel() + ")"));
            }
            if (end != null) {
                told.add("period of use to " + end + (end.equals(s.periodEnd()) ? " (unchanged)" : " (was " + s.periodEnd() + ")"));
            }
            Notification n = new Notification(null, s.id(), s.consumerSystem(), s.consumerAgency(), s.serviceCode(),
                    s.version(), APPROVED, s.status().wire(), s.status().wire(), null, null, changed.periodEnd(), null, null,
                    null, changed.accessLevel(), "Your change request of " + ProvinceCalendar.dateOf(r.createdAt())
                            + " is approved: " + String.join("; ", told) + (blank(g.reason()) ? "" : ". " + g.reason()), now);
            Uni<Void> save = Uni.createFrom().voidItem();
            if (level != null) {
                save = save.chain(() -> subscriptions.saveAccessLevel(conn, changed));
            }
            if (end != null) {
                // a later end: the notice that the period runs out is due again before it
                save = save.chain(() -> subscriptions.savePeriodEnd(conn, changed));
            }
            return save.chain(() -> changeLog.subscription(conn, changed.toEntry()))
                    .replaceWith(new Outcome(decided, changed, n));
        });
    }

    /** The provider side refuses, saying why. */
    @WithSpan("catalog.change-request.reject")
    public Uni<ChangeRequest> reject(Actor actor, UUID id, ChangeTerms body) {
        String why = body == null ? null : body.reason();
        if (blank(why)) {
            throw ProblemException.field("reason", "required", "A rejection needs a reason the consumer can act on");
        }
        Instant now = clock.instant();
        return decide(actor, id, ChangeRequestStatus.REJECTED, (conn, r, s) -> {
            Notification n = new Notification(null, s.id(), s.consumerSystem(), s.consumerAgency(), s.serviceCode(),
                    s.version(), REJECTED, s.status().wire(), s.status().wire(), null, null, s.periodEnd(), null, null, null,
                    s.accessLevel(), "Your change request of " + ProvinceCalendar.dateOf(r.createdAt()) + " ("
                            + asked(r) + ") is rejected: " + why, now);
            return Uni.createFrom().item(new Outcome(r.decided(ChangeRequestStatus.REJECTED, null, null, why, actor.name(),
                    now), s, n));
        });
    }

    /** The consumer side takes its pending request back; nobody else is told. */
    @WithSpan("catalog.change-request.withdraw")
    public Uni<ChangeRequest> withdraw(Actor actor, UUID id, ChangeTerms body) {
        String why = body == null ? null : body.reason();
        Instant now = clock.instant();
        return decide(actor, id, ChangeRequestStatus.WITHDRAWN, (conn, r, s) -> Uni.createFrom().item(new Outcome(
                r.decided(ChangeRequestStatus.WITHDRAWN, null, null, why, actor.name(), now), s, null)));
    }

    public Uni<ChangeRequest> get(Actor actor, UUID id) {
        return requests.find(pool, id, false).chain(r -> {
            if (r == null) {
                throw ProblemException.notFound("Change request " + id);
            }
            if (actor.isOperator() || actor.is(Roles.AUDITOR) || actor.administers(r.consumerAgency())) {
                return Uni.createFrom().item(r);
            }
            return services.find(r.serviceCode()).map(svc -> {
                if (!actor.administers(svc.ownerAgencyCode())) {
                    // Not yours: answer as if it did not exist, so ids of other agencies cannot be probed.
                    throw ProblemException.notFound("Change request " + id);
                }
                return r;
            });
        });
    }

    public Uni<Page<ChangeRequest>> list(Actor actor, ChangeRequestRepository.Filter filter, int page, int size) {
        String visible = null;
        if (!actor.isOperator() && !actor.is(Roles.AUDITOR)) {
            visible = actor.agency();
            if (visible == null) {
                throw ProblemException.forbidden("Your token names no agency");
            }
        }
        return requests.list(new ChangeRequestRepository.Filter(filter.status(), filter.subscriptionId(),
                filter.serviceCode(), filter.consumerSystem(), visible), page, size);
    }

    /** What a decision did: the request after it, the subscription after it, and what the subscriber is told. */
    private record Outcome(ChangeRequest request, Subscription subscription, Notification notice) {
    }

    @FunctionalInterface
    private interface Step {
        Uni<Outcome> apply(SqlConnection conn, ChangeRequest pending, Subscription subscription);
    }

    /**
     * One decision on a pending request: the right side decides (the provider side approves and rejects, the consumer
     * side withdraws; operators both), the step applies it, then the request's decision, the notice and the audit record.
     */
    private Uni<ChangeRequest> decide(Actor actor, UUID id, ChangeRequestStatus to, Step step) {
        Map<String, Object> before = new LinkedHashMap<>();
        boolean[] webhook = new boolean[1];
        return pool.withTransaction(conn -> requests.find(conn, id, false).chain(found -> {
            if (found == null) {
                throw ProblemException.notFound("Change request " + id);
            }
            return subscriptions.lock(conn, found.subscriptionId())
                    .chain(s -> requests.find(conn, id, true).chain(r -> services.find(conn, r.serviceCode(), false).chain(svc -> {
                        if (to == ChangeRequestStatus.WITHDRAWN) {
                            actor.requireOperatorOr("withdraw this change request", r.consumerAgency());
                        } else {
                            actor.requireOperatorOr("decide change requests about this service", svc.ownerAgencyCode());
                        }
                        if (r.status() != ChangeRequestStatus.PENDING) {
                            throw ProblemException.illegalTransition(r.status().wire(), to.wire());
                        }
                        if (to == ChangeRequestStatus.APPROVED && s.status() != SubscriptionStatus.ACTIVE
                                && s.status() != SubscriptionStatus.SUSPENDED) {
                            // not reached while ending a subscription lapses its request; kept so no change lands on one
                            throw FieldErrors.of(ProblemType.CONFLICT, "subscriptionId", "activeOrSuspended",
                                    "The subscription is " + s.status().wire() + ": nothing to change");
                        }
                        before.put("changeRequest", r);
                        before.put("subscription", s);
                        return step.apply(conn, r, s);
                    })));
        }).call(o -> requests.saveDecision(conn, o.request()))
                .call(o -> o.notice() == null ? Uni.createFrom().voidItem()
                        : notices.send(conn, o.subscription(), o.notice()).invoke(queued -> webhook[0] = queued)))
                // after the commit: nothing is audited or delivered that did not happen
                .map(o -> {
                    Map<String, Object> after = new LinkedHashMap<>();
                    after.put("changeRequest", o.request());
                    after.put("subscription", o.subscription());
                    audit.record(actor.name(), "change-request." + verb(to), "change-request", id.toString(),
                            o.request().consumerAgency(), before, after);
                    if (webhook[0]) {
                        dispatcher.kick();
                    }
                    return o.request();
                });
    }

    private static String verb(ChangeRequestStatus to) {
        return switch (to) {
            case APPROVED -> "approve";
            case REJECTED -> "reject";
            case WITHDRAWN -> "withdraw";
            default -> to.wire();
        };
    }

    private static String asked(ChangeRequest r) {
        List<String> parts = new ArrayList<>();
        if (r.accessLevel() != null) {
            parts.add("access level " + r.accessLevel());
        }
        if (r.periodEnd() != null) {
            parts.add("period of use to " + r.periodEnd());
        }
        return String.join(", ", parts);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
