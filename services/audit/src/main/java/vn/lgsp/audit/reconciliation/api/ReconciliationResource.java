package vn.lgsp.audit.reconciliation.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.audit.reconciliation.service.ReconciliationService;
import vn.lgsp.audit.reconciliation.service.ReconciliationService.Report;
import vn.lgsp.audit.support.AuditClock;
import vn.lgsp.audit.support.Params;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;
import vn.lgsp.common.time.ProvinceCalendar;

@Path("/api/v1/reconciliation")
@Tag(name = "reconciliation", description = "Đối soát: what a party exchanged with each counterpart, with a checksum")
@SecurityRequirement(name = "bearer")
public class ReconciliationResource {

    public static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public static final String CHECKSUM_HEADER = "X-LGSP-Checksum";
    static final int MAX_DAYS = 366;

    @Inject
    ReconciliationService service;

    @Inject
    Caller caller;

    @Inject
    AuditClock clock;

    @GET
    @Produces({ MediaType.APPLICATION_JSON, "text/csv", XLSX })
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Reconciliation of one party (agency, optionally one of its systems) over days [from, to] of the province's calendar (Asia/Ho_Chi_Minh)",
            description = "Rows per role (consumer/provider), counterpart, service, version and mode (sync/async) with "
                    + "calls, 4xx and 5xx errors and bytes. format=json|csv|xlsx. The SHA-256 checksum (header "
                    + "X-LGSP-Checksum and inside the file) is over a role-neutral canonical text: A's export with "
                    + "counterpart=B and B's with counterpart=A carry the same checksum when they agree. "
                    + "An agency admin may reconcile only its own agency.")
    public Response export(@QueryParam("agency") String agency, @QueryParam("system") String system,
            @QueryParam("counterpart") String counterpart, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("format") String format) {
        if (agency == null || agency.isBlank()) {
            throw ProblemException.field("agency", "notNull", "name the party (agency code) to reconcile");
        }
        if (agency.length() > 16 || (counterpart != null && counterpart.length() > 16)
                || (system != null && system.length() > 64)) {
            throw ProblemException.field(agency.length() > 16 ? "agency" : counterpart != null && counterpart.length() > 16
                    ? "counterpart" : "system", "size", "is longer than any stored code");
        }
        if (!caller.isOperator() && !caller.is(Roles.AUDITOR) && !agency.equals(caller.agency())) {
            throw ProblemException.forbidden("An agency admin may reconcile only its own agency");
        }
        LocalDate today = ProvinceCalendar.dateOf(clock.now());
        LocalDate end = Params.date("to", to, today);
        LocalDate start = Params.date("from", from, end.withDayOfMonth(1));
        Params.dayRange(start, end, MAX_DAYS);
        String fmt = format == null || format.isBlank() ? "json" : format;
        if (!fmt.equals("json") && !fmt.equals("csv") && !fmt.equals("xlsx")) {
            throw ProblemException.field("format", "enum", "must be json, csv or xlsx");
        }
        Report report = service.report(agency, blankToNull(system), blankToNull(counterpart), start, end);
        String file = "doi-soat_" + agency.replaceAll("[^A-Za-z0-9.]", "_") + "_" + start + "_" + end + "." + fmt;
        Response.ResponseBuilder rb = switch (fmt) {
            case "csv" -> Response.ok(ReconciliationService.csv(report).getBytes(StandardCharsets.UTF_8),
                    "text/csv; charset=utf-8");
            case "xlsx" -> Response.ok(ReconciliationService.xlsx(report), XLSX);
            default -> Response.ok(json(report), MediaType.APPLICATION_JSON);
        };
        return rb.header(CHECKSUM_HEADER, "sha256=" + report.checksum())
                .header("Content-Disposition", "attachment; filename=\"" + file + "\"").build();
    }

    private static Map<String, Object> json(Report r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("party", r.party());
        m.put("system", r.system());
        m.put("counterpart", r.counterpart());
        m.put("from", r.from());
        m.put("to", r.to());
        m.put("rows", r.rows());
        m.put("checksum", Map.of("algorithm", "SHA-256", "canonicalization", ReconciliationService.VERSION,
                "value", r.checksum()));
        return m;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
