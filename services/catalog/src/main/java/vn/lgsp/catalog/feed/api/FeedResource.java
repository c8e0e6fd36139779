package vn.lgsp.catalog.feed.api;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.catalog.feed.domain.MaintenanceEntry;
import vn.lgsp.catalog.feed.domain.Route;
import vn.lgsp.catalog.feed.domain.SubscriptionEntry;
import vn.lgsp.catalog.feed.repository.ChangeLog;
import vn.lgsp.catalog.feed.repository.ChangeLog.Change;
import vn.lgsp.catalog.maintenance.repository.MaintenanceRepository;
import vn.lgsp.catalog.subscription.repository.SubscriptionRepository;
import vn.lgsp.catalog.support.CatalogConfig;
import vn.lgsp.catalog.version.repository.VersionRepository;
import vn.lgsp.common.problem.Problem;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.common.security.Roles;

/** routing's view of the world (docs/internal-apis.md): a versioned snapshot and the changes after a revision. */
@Path("/api/v1/feed")
@Tag(name = "feed", description = "Routes and active subscriptions for routing: snapshot plus change stream")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class FeedResource {

    static final int MAX_WAIT_SECONDS = 25;
    static final int MAX_CHANGES = 1000;

    @Inject
    Pool pool;

    @Inject
    ChangeLog changeLog;

    @Inject
    VersionRepository versions;

    @Inject
    SubscriptionRepository subscriptions;

    @Inject
    CatalogConfig config;

    @Inject
    Clock clock;

    @Inject
    MaintenanceRepository maintenance;

    @GET
    @Path("/snapshot")
    @RolesAllowed({ Roles.SERVICE, Roles.OPERATOR })
    @Operation(summary = "All routes (non-draft versions), active subscriptions and maintenance windows not yet over, at one revision",
            description = "ETag is the revision; If-None-Match with it answers 304. Read in one repeatable-read transaction, "
                    + "so routes, subscriptions and revision are consistent.")
    public Uni<Response> snapshot(@HeaderParam("If-None-Match") String ifNoneMatch) {
        return changeLog.revision(pool).chain(current -> {
            if (matches(ifNoneMatch, current)) {
                return Uni.createFrom().item(Response.notModified(new EntityTag(String.valueOf(current))).build());
            }
            return pool.withTransaction(conn -> conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY").execute()
                    .chain(() -> changeLog.revision(conn))
                    .chain(revision -> versions.routes(conn)
                            .chain(routes -> subscriptions.activeEntries(conn)
                                    .chain(subs -> maintenance.currentEntries(conn)
                                            .map(windows -> new Snapshot(revision, clock.instant(), routes, subs, windows))))))
                    .map(s -> Response.ok(s).tag(new EntityTag(String.valueOf(s.revision()))).build());
        });
    }

    @GET
    @Path("/changes")
    @RolesAllowed({ Roles.SERVICE, Roles.OPERATOR })
    @Operation(summary = "Changes after a revision, oldest first (long poll with waitSeconds)",
            description = "Each change carries the route or subscription as it is now (a subscription that is no longer active "
                    + "tells routing to drop it). With waitSeconds (0-25) the call waits for the next change. The log keeps "
                    + "lgsp.catalog.feed-retention (7 days) of changes: 410 (errors[0].rule reloadSnapshot, Link to the snapshot) "
                    + "when since is older than the retained log or newer than this catalog's revision: reload the snapshot.")
    public Uni<Changes> changes(@QueryParam("since") Long since, @QueryParam("waitSeconds") Integer waitSeconds) {
        if (since == null || since < 0) {
            throw ProblemException.field("since", "required", "must be a revision (0 or more) from a snapshot or an earlier answer");
        }
        int wait = waitSeconds == null ? 0 : waitSeconds;
        if (wait < 0 || wait > MAX_WAIT_SECONDS) {
            throw ProblemException.field("waitSeconds", "range", "must be between 0 and " + MAX_WAIT_SECONDS);
        }
        return requireContinuable(since).chain(() -> poll(since, System.nanoTime() + wait * 1_000_000_000L));
    }

    /** 410 unless every change after {@code since} is still in the log. */
    private Uni<Void> requireContinuable(long since) {
        return changeLog.retainedSince().chain(oldest -> changeLog.revision(pool).map(current -> {
            if (since < oldest || since > current) {
                String why = since < oldest ? "changes up to revision " + oldest + " were pruned (the log keeps "
                        + config.feedRetention().toDays() + " days)" : "it is newer than this catalog's revision " + current;
                String message = "Revision " + since + " cannot be continued: " + why
                        + ". Reload GET /api/v1/feed/snapshot and continue from its revision";
                throw new ProblemException(ProblemType.GONE, message,
                        List.of(new Problem.FieldError("since", "reloadSnapshot", message)),
                        Map.of("Link", "</api/v1/feed/snapshot>; rel=\"alternate\""));
            }
            return current;
        })).replaceWithVoid();
    }

    /** Re-checks the log every poll interval until something arrives or the wait is over; holds no thread meanwhile. */
    private Uni<Changes> poll(long since, long deadline) {
        return changeLog.after(since, MAX_CHANGES).chain(list -> {
            if (!list.isEmpty()) {
                long last = list.get(list.size() - 1).seq();
                // Checked again after the read: had pruning removed changes after since before it, this says so.
                return requireContinuable(since).replaceWith(new Changes(last, list.size() == MAX_CHANGES, list));
            }
            if (System.nanoTime() >= deadline) {
                return changeLog.revision(pool).map(rev -> new Changes(Math.max(rev, since), false, List.of()));
            }
            return Uni.createFrom().voidItem().onItem().delayIt().by(config.feedPollInterval())
                    .chain(() -> poll(since, deadline));
        });
    }

    private static boolean matches(String ifNoneMatch, long revision) {
        if (ifNoneMatch == null) {
            return false;
        }
        String tag = "\"" + revision + "\"";
        for (String t : ifNoneMatch.split(",")) {
            String v = t.trim();
            if (v.startsWith("W/")) {
                v = v.substring(2);
            }
            if (v.equals(tag) || v.equals("*")) {
                return true;
            }
        }
        return false;
    }

    public record Snapshot(long revision, Instant generatedAt, List<Route> routes, List<SubscriptionEntry> subscriptions,
            List<MaintenanceEntry> maintenance) {
    }

    /** {@code revision} is the next {@code since}; {@code hasMore} says to ask again at once. */
    public record Changes(long revision, boolean hasMore, List<Change> changes) {
    }
}
