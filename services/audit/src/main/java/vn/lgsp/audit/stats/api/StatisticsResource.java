package vn.lgsp.audit.stats.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.audit.stats.service.StatisticsService;
import vn.lgsp.audit.stats.service.StatisticsService.Filter;
import vn.lgsp.audit.stats.service.StatisticsService.Group;
import vn.lgsp.audit.support.AuditClock;
import vn.lgsp.audit.support.Params;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;
import vn.lgsp.common.time.ProvinceCalendar;

@Path("/api/v1/statistics")
@Tag(name = "statistics", description = "Daily rollups of transactions: calls, errors, bytes, latency percentiles")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class StatisticsResource {

    static final int MAX_DAYS = 366;
    /** Groups in one answer: enough for a year per service, small enough to render. */
    static final int MAX_GROUPS = 10_000;

    @Inject
    StatisticsService statistics;

    @Inject
    Caller caller;

    @Inject
    AuditClock clock;

    @GET
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Transaction statistics per group (days of the province's calendar, Asia/Ho_Chi_Minh; at most 366)",
            description = "groupBy: comma-separated from day, consumerAgency, consumerSystem, providerAgency, providerSystem, "
                    + "service, version, mode (default day,service,version). Percentiles are the upper bound of the "
                    + "histogram bucket holding the true value (capped at the maximum): within +50% above 10 ms. "
                    + "An agency admin sees only groups of calls its agency made or served.")
    public Statistics query(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("consumerAgency") String consumerAgency, @QueryParam("consumerSystem") String consumerSystem,
            @QueryParam("providerAgency") String providerAgency, @QueryParam("providerSystem") String providerSystem,
            @QueryParam("service") String service, @QueryParam("version") String version,
            @QueryParam("mode") String mode, @QueryParam("groupBy") String groupBy) {
        LocalDate today = ProvinceCalendar.dateOf(clock.now());
        LocalDate end = Params.date("to", to, today);
        LocalDate start = Params.date("from", from, end.minusDays(6));
        Params.dayRange(start, end, MAX_DAYS);
        if (mode != null && !mode.isBlank() && !mode.equals("sync") && !mode.equals("async")) {
            throw ProblemException.field("mode", "enum", "must be 'sync' or 'async'");
        }
        List<String> dims = new ArrayList<>();
        for (String d : (groupBy == null || groupBy.isBlank() ? "day,service,version" : groupBy).split(",")) {
            String dim = d.strip();
            if (!StatisticsService.DIMENSIONS.containsKey(dim)) {
                throw ProblemException.field("groupBy", "enum", "unknown dimension '" + dim + "'; expected any of "
                        + StatisticsService.DIMENSIONS.keySet());
            }
            if (!dims.contains(dim)) {
                dims.add(dim);
            }
        }
        String agency = null;
        if (!caller.isOperator() && !caller.is(Roles.AUDITOR)) {
            agency = caller.agency();
            if (agency == null) {
                throw ProblemException.forbidden("Your token names no agency");
            }
        }
        List<Group> groups = statistics.query(new Filter(start, end, consumerAgency, consumerSystem, providerAgency,
                providerSystem, service, version, mode, agency), dims);
        if (groups.size() > MAX_GROUPS) {
            throw ProblemException.field("groupBy", "maxGroups", "the answer would hold " + groups.size()
                    + " groups (at most " + MAX_GROUPS + "); narrow the range or filters, or group by fewer dimensions");
        }
        List<Row> rows = new ArrayList<>();
        for (Group g : groups) {
            rows.add(new Row(g.key, g.calls, g.errors4xx, g.errors5xx, g.errorTypes, g.requestBytes, g.responseBytes,
                    g.latencyMeanMs(), g.p50(), g.p95(), g.p99(), g.latencyMax));
        }
        return new Statistics(start, end, dims, rows);
    }

    /** The answer: one row per group. */
    public record Statistics(LocalDate from, LocalDate to, List<String> groupBy, List<Row> groups) {
    }

    public record Row(Map<String, String> key, long calls, long errors4xx, long errors5xx,
            Map<String, Long> errorTypes, long requestBytes, long responseBytes, Double latencyMeanMs, Long latencyP50Ms,
            Long latencyP95Ms, Long latencyP99Ms, long latencyMaxMs) {
    }
}
