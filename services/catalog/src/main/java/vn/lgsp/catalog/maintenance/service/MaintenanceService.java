package vn.lgsp.catalog.maintenance.service;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import vn.lgsp.catalog.dataservice.repository.DataServiceRepository;
import vn.lgsp.catalog.feed.repository.ChangeLog;
import vn.lgsp.catalog.maintenance.domain.MaintenanceRequest;
import vn.lgsp.catalog.maintenance.domain.MaintenanceWindow;
import vn.lgsp.catalog.maintenance.repository.MaintenanceRepository;
import vn.lgsp.catalog.notification.repository.NotificationRepository.Notification;
import vn.lgsp.catalog.notification.service.Notices;
import vn.lgsp.catalog.subscription.domain.Subscription;
import vn.lgsp.catalog.subscription.repository.SubscriptionRepository;
import vn.lgsp.catalog.support.Actor;
import vn.lgsp.catalog.support.CatalogConfig;
import vn.lgsp.catalog.support.FieldErrors;
import vn.lgsp.catalog.webhook.service.WebhookDispatcher;
import vn.lgsp.common.audit.AdminAudit;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.common.web.Etags;

/**
 * Maintenance windows (REQUIREMENTS M8, An Giang Art. 17.8: connected parties are told before maintenance and
 * upgrades). Each announcement, new schedule and cancellation commits in one transaction with its change-feed entry
 * (routing refuses calls during {@code unavailable} windows) and a notification to every active or suspended
 * subscription it concerns (plus a signed webhook delivery where the subscriber gave one); then it is audited.
 * <p>
 * Who: operators for anything, the whole platform included; a provider agency's admin for its own services only, and
 * only the windows its agency announced. Scope (services, environment) is fixed once announced: subscribers were
 * told who is concerned, so a different scope is a different announcement.
 */
@ApplicationScoped
public class MaintenanceService {

    public static final String SCHEDULED = "maintenance.scheduled";
    public static final String RESCHEDULED = "maintenance.rescheduled";
    public static final String CANCELLED = "maintenance.cancelled";
    /** The reminder shortly before a window starts (lgsp.catalog.maintenance-reminder). */
    public static final String STARTING = "maintenance.starting";
    static final int REMINDER_BATCH = 50;

    /** An emergency window may be dated a little in the past: the operator's clock and ours differ by seconds. */
    private static final Duration EMERGENCY_SLACK = Duration.ofMinutes(5);

    @Inject
    Pool pool;

    @Inject
    MaintenanceRepository windows;

    @Inject
    DataServiceRepository services;

    @Inject
    SubscriptionRepository subscriptions;

    @Inject
    ChangeLog changeLog;

    @Inject
    Notices notices;

    @Inject
    WebhookDispatcher dispatcher;

    @Inject
    AdminAudit audit;

    @Inject
    CatalogConfig config;

    @Inject
    Clock clock;

    /** How many subscriptions a change told, and whether a webhook delivery now waits. */
    private record Told(int count, boolean webhooks) {
    }

    public Uni<MaintenanceWindow> announce(Actor actor, MaintenanceRequest req) {
        Instant now = clock.instant();
        List<String> codes = distinct(req.serviceList());
        if (codes.isEmpty() && !actor.isOperator()) {
            throw ProblemException.forbidden("Only an operator may announce maintenance of the whole platform; "
                    + "an agency admin names the services of its agency in 'services'");
        }
        FieldErrors errors = new FieldErrors();
        checkCodes(errors, req.serviceList());
        checkEnums(errors, req);
        checkTimes(errors, req, null, now);
        errors.throwIfAny();
        UUID id = UUID.randomUUID();
        String agency = actor.isOperator() ? null : actor.agency();
        MaintenanceWindow window = new MaintenanceWindow(id, req.title().strip(), blank(req.description()), codes,
                req.environment(), req.impactOrDefault(), req.startsAt(), req.endsAt(), req.isEmergency(),
                req.isEmergency() ? req.reason().strip() : null, MaintenanceWindow.state("scheduled", req.startsAt(),
                        req.endsAt(), now), null, null, actor.name(), agency, 1, now, now, null);
        Told[] told = new Told[1];
        return pool.withTransaction(conn -> requireServices(conn, actor, codes, req.serviceList())
                .chain(() -> windows.insert(conn, window, remindedBy(window.startsAt(), now)))
                .chain(() -> changeLog.maintenance(conn, window.toEntry()))
                .chain(() -> tell(conn, window, SCHEDULED, null, now)).invoke(t -> told[0] = t)
                .chain(() -> windows.find(conn, id, false)))
                .map(saved -> saved.withNotified(told[0].count()))
                .invoke(saved -> after(actor, "maintenance.announce", saved, null, told[0]));
    }

    public Uni<MaintenanceWindow> reschedule(Actor actor, UUID id, String ifMatch, MaintenanceRequest req) {
        Instant now = clock.instant();
        MaintenanceWindow[] before = new MaintenanceWindow[1];
        Told[] told = new Told[1];
        return pool.withTransaction(conn -> locked(conn, id, actor).chain(w -> {
            before[0] = w;
            Etags.require(ifMatch, w.rowVersion());
            requireOpen(w, "change");
            FieldErrors scope = new FieldErrors();
            if (!Set.copyOf(distinct(req.serviceList())).equals(Set.copyOf(w.services()))) {
                scope.add("services", "fixed", "the services of an announced window cannot change (were " + w.services()
                        + "); cancel it and announce a new one");
            }
            if (!Objects.equals(req.environment(), w.environment())) {
                scope.add("environment", "fixed", "the environment of an announced window cannot change (was "
                        + w.environment() + "); cancel it and announce a new one");
            }
            if (!scope.isEmpty()) {
                throw scope.toProblem(ProblemType.CONFLICT);
            }
            FieldErrors errors = new FieldErrors();
            checkEnums(errors, req);
            checkTimes(errors, req, w, now);
            errors.throwIfAny();
            MaintenanceWindow next = new MaintenanceWindow(w.id(), req.title().strip(), blank(req.description()),
                    w.services(), w.environment(), req.impactOrDefault(), req.startsAt(), req.endsAt(), req.isEmergency(),
                    req.isEmergency() ? req.reason().strip() : null,
                    MaintenanceWindow.state("scheduled", req.startsAt(), req.endsAt(), now), null, null, w.announcedBy(),
                    w.announcerAgency(), w.rowVersion() + 1, w.createdAt(), now, null);
            // Subscribers are told when what concerns them moves: the times or whether calls are refused. A new
            // wording alone is visible in the listing.
            boolean moved = !next.startsAt().equals(w.startsAt()) || !next.endsAt().equals(w.endsAt())
                    || !next.impact().equals(w.impact());
            return windows.reschedule(conn, next, now, remindedBy(next.startsAt(), now))
                    .chain(() -> changeLog.maintenance(conn, next.toEntry()))
                    .chain(() -> moved ? tell(conn, next, RESCHEDULED, "was " + w.startsAt() + " – " + w.endsAt()
                            + (w.impact().equals(next.impact()) ? "" : ", " + w.impact()), now)
                            : Uni.createFrom().item(new Told(0, false)))
                    .invoke(t -> told[0] = t)
                    .chain(() -> windows.find(conn, id, false));
        })).map(saved -> saved.withNotified(told[0].count()))
                .invoke(saved -> after(actor, "maintenance.update", saved, before[0], told[0]));
    }

    public Uni<MaintenanceWindow> cancel(Actor actor, UUID id, String ifMatch, String reason) {
        Instant now = clock.instant();
        MaintenanceWindow[] before = new MaintenanceWindow[1];
        Told[] told = new Told[1];
        return pool.withTransaction(conn -> locked(conn, id, actor).chain(w -> {
            before[0] = w;
            Etags.check(ifMatch, w.rowVersion());
            requireOpen(w, "cancel");
            String why = (MaintenanceWindow.IN_PROGRESS.equals(w.state()) ? "ended early: " : "withdrawn: ") + reason.strip();
            return windows.cancel(conn, id, reason.strip(), now)
                    .chain(() -> windows.find(conn, id, false))
                    .chain(cancelled -> changeLog.maintenance(conn, cancelled.toEntry())
                            .chain(() -> tell(conn, cancelled, CANCELLED, why, now)).invoke(t -> told[0] = t)
                            .replaceWith(cancelled));
        })).map(saved -> saved.withNotified(told[0].count()))
                .invoke(saved -> after(actor, "maintenance.cancel", saved, before[0], told[0]));
    }

    public Uni<MaintenanceWindow> get(UUID id) {
        return windows.find(pool, id, false).map(w -> {
            if (w == null) {
                throw ProblemException.notFound("Maintenance window " + id);
            }
            return w;
        });
    }

    // ---- rules ---------------------------------------------------------------------------------------------------

    /** Field rules of the codes themselves; whether they exist and whose they are is checked in the transaction. */
    private static void checkCodes(FieldErrors errors, List<String> given) {
        for (int i = 0; i < given.size(); i++) {
            if (given.get(i) == null || given.get(i).isBlank()) {
                errors.add("services[" + i + "]", "notBlank", "a service code is required; leave 'services' out for the whole platform");
            }
        }
    }

    private static void checkEnums(FieldErrors errors, MaintenanceRequest req) {
        if (req.environment() != null && !Set.of("test", "production").contains(req.environment())) {
            errors.add("environment", "enum", "must be test or production (absent: both)");
        }
        if (!Set.of(MaintenanceRequest.UNAVAILABLE, MaintenanceRequest.DEGRADED).contains(req.impactOrDefault())) {
            errors.add("impact", "enum", "must be unavailable (calls are refused during the window) or degraded (announced only)");
        }
        if (req.isEmergency() && (req.reason() == null || req.reason().isBlank())) {
            errors.add("reason", "required", "an emergency announcement says why it could not be announced "
                    + "in advance");
        }
    }

    /**
     * The times: the end after the start, at most the maximum duration; the start at least the minimum notice ahead
     * (unless an emergency). When rescheduling, a window already running keeps its start and may only move its end
     * (not into the past: cancel to end it now); a postponed or unchanged start needs no new notice.
     */
    private void checkTimes(FieldErrors errors, MaintenanceRequest req, MaintenanceWindow current, Instant now) {
        Instant starts = req.startsAt();
        Instant ends = req.endsAt();
        if (!ends.isAfter(starts)) {
            errors.add("endsAt", "afterStart", "must be after startsAt (" + starts + ")");
        } else if (Duration.between(starts, ends).compareTo(config.maintenanceMaxDuration()) > 0) {
            errors.add("endsAt", "maxDuration", "a window lasts at most " + human(config.maintenanceMaxDuration())
                    + "; announce longer work as several windows");
        }
        boolean running = current != null && MaintenanceWindow.IN_PROGRESS.equals(current.state());
        if (running) {
            if (!starts.equals(current.startsAt())) {
                errors.add("startsAt", "started", "the window started at " + current.startsAt() + " and keeps that start");
            }
            if (!ends.isAfter(now)) {
                errors.add("endsAt", "notPast", "must be after now (" + now + "); cancel the window to end it now");
            }
            return;
        }
        boolean postponed = current != null && !starts.isBefore(current.startsAt());
        Instant earliest = now.plus(config.maintenanceMinNotice());
        if (req.isEmergency() || postponed) {
            if (starts.isBefore(now.minus(EMERGENCY_SLACK))) {
                errors.add("startsAt", "notPast", "must not be in the past (now is " + now + ")");
            }
        } else if (starts.isBefore(earliest)) {
            errors.add("startsAt", "minNotice", "must be at least " + human(config.maintenanceMinNotice())
                    + " from now, not before " + earliest + ", so connected parties are told in time; for unplanned "
                    + "work set emergency: true with a reason");
        }
    }

    /** Every named service exists, and an agency admin's are all its agency's ({@code given}: for the field names). */
    private Uni<Void> requireServices(SqlConnection conn, Actor actor, List<String> codes, List<String> given) {
        // Optional: a Multi drops null items, and a missing service is exactly what this looks for.
        return Multi.createFrom().iterable(codes).onItem()
                .transformToUniAndConcatenate(c -> services.find(conn, c, false).map(Optional::ofNullable))
                .collect().asList().map(found -> {
                    FieldErrors missing = new FieldErrors();
                    List<String> others = new ArrayList<>();
                    for (int i = 0; i < codes.size(); i++) {
                        if (found.get(i).isEmpty()) {
                            missing.add("services[" + indexIn(given, codes.get(i)) + "]", "exists", "no data service " + codes.get(i) + " in the catalog");
                        } else if (!actor.isOperator() && !actor.administers(found.get(i).get().ownerAgencyCode())) {
                            others.add(codes.get(i));
                        }
                    }
                    missing.throwIfAny();
                    if (!others.isEmpty()) {
                        throw ProblemException.forbidden("An agency admin announces maintenance of its own agency's "
                                + "services only; not of " + others);
                    }
                    return null;
                });
    }

    private Uni<MaintenanceWindow> locked(SqlConnection conn, UUID id, Actor actor) {
        return windows.find(conn, id, true).map(w -> {
            if (w == null) {
                throw ProblemException.notFound("Maintenance window " + id);
            }
            if (!actor.isOperator() && (w.announcerAgency() == null || !actor.administers(w.announcerAgency()))) {
                throw ProblemException.forbidden("Only an operator or an admin of the agency that announced this window "
                        + "may change it");
            }
            return w;
        });
    }

    private static void requireOpen(MaintenanceWindow w, String what) {
        if (!w.open()) {
            throw FieldErrors.of(ProblemType.CONFLICT, "state", "open", "This window is " + w.state() + "; only a "
                    + "scheduled or in-progress window can " + what + ". Announce a new one instead");
        }
    }

    // ---- telling -------------------------------------------------------------------------------------------------

    /** Whether telling subscribers now about a window starting then also serves as the reminder: now if so, else null. */
    private Instant remindedBy(Instant startsAt, Instant now) {
        Duration lead = config.maintenanceReminder();
        return lead.isZero() || lead.isNegative() || !startsAt.isAfter(now.plus(lead)) ? now : null;
    }

    /** What one round of reminders did: windows reminded, and whether webhook deliveries wait. */
    public record Reminded(int windows, int subscriptions) {
    }

    /**
     * Reminds the subscribers of windows that start within {@code lgsp.catalog.maintenance-reminder} and were not yet
     * reminded ({@code maintenance.starting}), a batch of windows per transaction; replicas skip each other's rows.
     */
    public Uni<Reminded> remindDue() {
        Duration lead = config.maintenanceReminder();
        if (lead.isZero() || lead.isNegative()) {
            return Uni.createFrom().item(new Reminded(0, 0));
        }
        Instant now = clock.instant();
        boolean[] webhooks = new boolean[1];
        return pool.withTransaction(conn -> windows.lockDueReminders(conn, now, now.plus(lead), REMINDER_BATCH)
                .chain(due -> Multi.createFrom().iterable(due).onItem().transformToUniAndConcatenate(w ->
                        tell(conn, w, STARTING, "starts in " + human(Duration.between(now, w.startsAt())
                                .truncatedTo(java.time.temporal.ChronoUnit.MINUTES)), now)
                                .call(() -> windows.markReminded(conn, w.id(), now)))
                        .collect().asList()))
                .map(told -> {
                    told.forEach(t -> webhooks[0] |= t.webhooks());
                    return new Reminded(told.size(), told.stream().mapToInt(Told::count).sum());
                })
                .invoke(r -> {
                    if (webhooks[0]) {
                        dispatcher.kick();
                    }
                });
    }

    /** One notification (and webhook delivery) per subscription the window concerns, in the change's transaction. */
    private Uni<Told> tell(SqlConnection conn, MaintenanceWindow w, String event, String note, Instant now) {
        String comment = describe(w, note);
        return subscriptions.connectedTo(conn, w.services(), w.environment())
                .chain(list -> Multi.createFrom().iterable(list)
                        .onItem().transformToUniAndConcatenate(s -> notices.send(conn, s, notice(s, w, event, comment, now)))
                        .collect().asList()
                        .map(queued -> new Told(list.size(), queued.contains(Boolean.TRUE))));
    }

    private static Notification notice(Subscription s, MaintenanceWindow w, String event, String comment, Instant now) {
        return new Notification(null, s.id(), s.consumerSystem(), s.consumerAgency(), s.serviceCode(), s.version(), event,
                null, null, null, null, null, w.id(), w.startsAt(), w.endsAt(), null, comment, now);
    }

    /** What the subscriber reads: the title, the times, what it means for its calls, and why it changed. */
    static String describe(MaintenanceWindow w, String note) {
        String scope = w.platformWide() ? "the platform" : String.join(", ", w.services());
        String effect = MaintenanceRequest.UNAVAILABLE.equals(w.impact())
                ? "calls are refused with 503 and Retry-After during the window"
                : "calls go on but may be slower or partly fail";
        // may exceed what a notification holds: Notification clips it
        return w.title() + " (maintenance of " + scope + (w.environment() == null ? "" : ", " + w.environment())
                + "): " + w.startsAt() + " – " + w.endsAt() + "; " + effect + (note == null ? "" : "; " + note);
    }

    private void after(Actor actor, String action, MaintenanceWindow after, MaintenanceWindow before, Told told) {
        audit.record(actor.name(), action, "maintenance-window", after.id().toString(), after.announcerAgency(), before, after);
        if (told.webhooks()) {
            dispatcher.kick();
        }
    }

    private static List<String> distinct(List<String> codes) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String c : codes) {
            if (c != null && !c.isBlank()) {
                out.add(c.strip());
            }
        }
        return List.copyOf(out);
    }

    private static int indexIn(List<String> given, String code) {
        for (int i = 0; i < given.size(); i++) {
            if (given.get(i) != null && given.get(i).strip().equals(code)) {
                return i;
            }
        }
        return -1;
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String human(Duration d) {
        if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
            return d.toDays() + " days";
        }
        if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) {
            return d.toHours() + " hours";
        }
        return d.toMinutes() + " minutes";
    }
}
