package vn.lgsp.audit.alert.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.audit.alert.service.AlertService;
import vn.lgsp.audit.alert.service.AlertService.Alert;
import vn.lgsp.audit.support.Params;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;

@Path("/api/v1/alerts")
@Tag(name = "alerts", description = "Alert rules and alerts")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class AlertResource {

    @Inject
    AlertService service;

    @Inject
    Caller caller;

    @GET
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Alerts, newest first (state=open|resolved, rule, limit ≤ 500, cursor from nextCursor); an "
            + "agency admin sees its agency's")
    public AlertPage list(@QueryParam("state") String state, @QueryParam("rule") String rule,
            @QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        if (state != null && !state.equals("open") && !state.equals("resolved")) {
            throw ProblemException.field("state", "enum", "must be 'open' or 'resolved'");
        }
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > 500) {
            throw ProblemException.field("limit", "range", "must be between 1 and 500");
        }
        List<Alert> rows = service.list(state, rule, scope(), decodeCursor(cursor), size + 1);
        boolean more = rows.size() > size;
        List<Alert> page = more ? rows.subList(0, size) : rows;
        Alert last = more ? page.get(page.size() - 1) : null;
        return new AlertPage(page, last == null ? null : encodeCursor(last));
    }

    /** One page of alerts and the cursor of the next, if any (the shape of GET /api/v1/events). */
    public record AlertPage(List<Alert> items, String nextCursor) {
    }

    private static String encodeCursor(Alert last) {
        Instant t = last.openedAt();
        String raw = "a:" + t.getEpochSecond() + ":" + t.getNano() + ":" + last.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    private static AlertService.After decodeCursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String[] p = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII).split(":", 4);
            if (p.length != 4 || !p[0].equals("a")) {
                throw new IllegalArgumentException();
            }
            return new AlertService.After(Instant.ofEpochSecond(Long.parseLong(p[1]), Long.parseLong(p[2])),
                    UUID.fromString(p[3]));
        } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
            throw ProblemException.field("cursor", "format", "is not a cursor this service issued");
        }
    }

    @POST
    @Path("/{id}/acknowledge")
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Acknowledge an alert (someone is on it); recorded in the log")
    public Alert acknowledge(@PathParam("id") String id) {
        return service.acknowledge(caller.actor(), Params.uuid("id", id), scope());
    }

    /** Operators and auditors see every alert; an agency admin only its agency's. */
    private String scope() {
        if (caller.isOperator() || caller.is(Roles.AUDITOR)) {
            return null;
        }
        String agency = caller.agency();
        if (agency == null) {
            throw ProblemException.forbidden("Your token names no agency");
        }
        return agency;
    }
}
