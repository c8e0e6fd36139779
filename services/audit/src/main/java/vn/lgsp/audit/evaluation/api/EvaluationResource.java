package vn.lgsp.audit.evaluation.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.audit.evaluation.service.EvaluationMethod;
import vn.lgsp.audit.evaluation.service.EvaluationMethod.Criterion;
import vn.lgsp.audit.evaluation.service.EvaluationService;
import vn.lgsp.audit.evaluation.service.EvaluationService.Assessment;
import vn.lgsp.audit.evaluation.service.EvaluationService.AssessmentRequest;
import vn.lgsp.audit.evaluation.service.EvaluationService.Evaluation;
import vn.lgsp.audit.evaluation.service.EvaluationService.EvaluationRequest;
import vn.lgsp.audit.evaluation.service.EvaluationService.Ranked;
import vn.lgsp.audit.evaluation.service.EvaluationService.Report;
import vn.lgsp.audit.evaluation.service.EvaluationService.Summary;
import vn.lgsp.audit.reconciliation.api.ReconciliationResource;
import vn.lgsp.audit.support.Params;
import vn.lgsp.audit.support.Tables;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;

@Path("/api/v1/evaluations")
@Tag(name = "evaluations", description = "Đánh giá, xếp hạng: periodic evaluation and ranking of agencies' data sharing")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class EvaluationResource {

    @Inject
    EvaluationService service;

    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Open an evaluation over a period (≤ 366 days of the province's calendar)",
            description = "Body {name, from, to, agencies?, weights?, selfAssessmentShare?}. agencies defaults to every "
                    + "agency with traffic in the period; weights (one whole number per criterion, together 100) default "
                    + "to completeness 10, standardisation 10, sharing 20, integration 20, quality 15, security 15, "
                    + "effectiveness 10; selfAssessmentShare (0..100, default 30) is how much an agency's self-assessment "
                    + "counts against the operator's. Audited.")
    public Response create(EvaluationRequest body) {
        Evaluation e = service.create(caller.actor(), body);
        return Response.status(201).entity(e).tag(etag(e)).header("Location", "/api/v1/evaluations/" + e.id()).build();
    }

    @GET
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Evaluations, latest period first")
    public List<Summary> list() {
        return service.list();
    }

    @GET
    @Path("/criteria")
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "The method: each criterion of Art. 25.2, its default weight and components")
    public List<Criterion> criteria() {
        return EvaluationMethod.CRITERIA;
    }

    @GET
    @Path("/{id}")
    @Produces({ MediaType.APPLICATION_JSON, "text/csv", ReconciliationResource.XLSX })
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "An evaluation and its ranking; format=json|csv|xlsx",
            description = "A draft's ranking is provisional, computed from the rollups and assessments at each read; an "
                    + "agency admin sees only its own agency's line of a draft, and every line once published (other "
                    + "agencies' without assessments' notes, as published).")
    public Response get(@PathParam("id") String id, @QueryParam("format") String format) {
        String fmt = format == null || format.isBlank() ? "json" : format;
        if (!List.of("json", "csv", "xlsx").contains(fmt)) {
            throw ProblemException.field("format", "enum", "must be json, csv or xlsx");
        }
        Report report = visible(service.report(Params.uuid("id", id)));
        Evaluation e = report.evaluation();
        String file = "xep-hang_" + e.from() + "_" + e.to() + (report.provisional() ? "_du-thao" : "") + "." + fmt;
        return switch (fmt) {
            case "json" -> Response.ok(report).tag(etag(e)).build();
            case "csv" -> Response.ok(csv(report).getBytes(StandardCharsets.UTF_8), "text/csv; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"" + file + "\"").tag(etag(e)).build();
            case "xlsx" -> Response.ok(xlsx(report), ReconciliationResource.XLSX)
                    .header("Content-Disposition", "attachment; filename=\"" + file + "\"").tag(etag(e)).build();
            default -> throw new IllegalStateException(fmt);
        };
    }

    @GET
    @Path("/{id}/results")
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "A published ranking, byte for byte as frozen",
            description = "Its SHA-256 is the evaluation's resultsSha256 and is in the hash-chained admin log "
                    + "(action evaluation.publish), so anyone can check the ranking was not changed after publication. "
                    + "409 for a draft.")
    public Response results(@PathParam("id") String id) {
        byte[] text = service.publishedResults(Params.uuid("id", id)).getBytes(StandardCharsets.UTF_8);
        byte[] digest = sha256(text);
        return Response.ok(text, MediaType.APPLICATION_JSON)
                .header("Content-Digest", "sha-256=:" + Base64.getEncoder().encodeToString(digest) + ":")
                .header(ReconciliationResource.CHECKSUM_HEADER, "sha256=" + HexFormat.of().formatHex(digest)).build();
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Replace a draft (If-Match required); assessments of agencies left out are dropped. Audited.")
    public Response update(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch, EvaluationRequest body) {
        Evaluation e = service.update(caller.actor(), Params.uuid("id", id), ifMatch, body);
        return Response.ok(e).tag(etag(e)).build();
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Delete a draft (a published evaluation stays). Audited.")
    public Response delete(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch) {
        service.delete(caller.actor(), Params.uuid("id", id), ifMatch);
        return Response.noContent().build();
    }

    @PUT
    @Path("/{id}/self-assessments/{agency}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.AGENCY_ADMIN)
    @Operation(summary = "An agency's self-assessment (Art. 25.3.b), by its own admin, while the evaluation is a draft",
            description = "Body {scores: {completeness, standardisation, quality, security, effectiveness: 0..100}, "
                    + "note?}. Replaces any earlier one. Audited.")
    public Assessment selfAssess(@PathParam("id") String id, @PathParam("agency") String agency, AssessmentRequest body) {
        if (!agency.equals(caller.agency())) {
            throw ProblemException.forbidden("An agency assesses only itself; you act for " + caller.agency());
        }
        return service.assess(caller.actor(), Params.uuid("id", id), agency, EvaluationService.SELF, body);
    }

    @PUT
    @Path("/{id}/assessments/{agency}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "The operator's assessment of an agency (the state body's part of Art. 25.3.b). Audited.")
    public Assessment assess(@PathParam("id") String id, @PathParam("agency") String agency, AssessmentRequest body) {
        return service.assess(caller.actor(), Params.uuid("id", id), agency, EvaluationService.OPERATOR, body);
    }

    @POST
    @Path("/{id}/publish")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Publish the ranking (Art. 25.4.c): frozen from now on; If-Match required",
            description = "409 while the period is still running, while an agency awaits the operator's assessment "
                    + "(each named), or once published; 412 when the evaluation or an assessment changed since the "
                    + "ETag was read. Audited with the results' SHA-256.")
    public Response publish(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch) {
        Evaluation e = service.publish(caller.actor(), Params.uuid("id", id), ifMatch);
        return Response.ok(e).tag(etag(e)).build();
    }

    /** Operators and auditors see everything; an agency admin its own line of a draft, and a published ranking whole. */
    private Report visible(Report r) {
        if (caller.isOperator() || caller.is(Roles.AUDITOR) || !r.provisional()) {
            return r;
        }
        String own = caller.agency();
        List<Ranked> mine = r.results().stream().filter(x -> x.agency().equals(own)).toList();
        return new Report(r.evaluation(), r.criteria(), true, List.of(), mine);
    }

    static final List<String> COLUMNS;

    static {
        List<String> c = new ArrayList<>(List.of("rank", "agency", "total", "grade"));
        EvaluationMethod.CRITERIA.forEach(x -> c.add(x.code()));
        c.addAll(List.of("callsServed", "availability", "consumerAgenciesServed", "servicesProvided", "callsMade",
                "compliance", "providerAgenciesUsed", "servicesUsed"));
        COLUMNS = List.copyOf(c);
    }

    static List<List<Object>> rows(Report r) {
        List<List<Object>> rows = new ArrayList<>();
        for (Ranked x : r.results()) {
            List<Object> row = new ArrayList<>(List.of(x.rank(), x.agency(), x.total(), x.grade()));
            EvaluationMethod.CRITERIA.forEach(c -> row.add(x.criteria().get(c.code())));
            EvaluationMethod.Indicators i = x.indicators();
            row.addAll(Arrays.asList(i.callsServed(), rate(i.availability()), i.consumerAgenciesServed(),
                    i.servicesProvided(), i.callsMade(), rate(i.compliance()), i.providerAgenciesUsed(), i.servicesUsed()));
            rows.add(row);
        }
        return rows;
    }

    /** A rate as a cell: six decimals, or empty when there was nothing to divide. */
    private static Object rate(Double v) {
        return v == null ? "" : BigDecimal.valueOf(v).setScale(6, RoundingMode.HALF_UP);
    }

    static String csv(Report r) {
        StringBuilder sb = new StringBuilder(String.join(",", COLUMNS)).append("\r\n");
        for (List<Object> row : rows(r)) {
            sb.append(Tables.csvLine(row)).append("\r\n");
        }
        Evaluation e = r.evaluation();
        sb.append("# ").append(Tables.neutralise(e.name()).replace("\r", " ").replace("\n", " ")).append(" period=")
                .append(e.from()).append('/').append(e.to()).append(' ')
                .append(r.provisional() ? "provisional" : "published " + e.publishedAt() + " sha256=" + e.resultsSha256())
                .append("\r\n");
        return sb.toString();
    }

    static byte[] xlsx(Report r) {
        Evaluation e = r.evaluation();
        List<List<Object>> meta = new ArrayList<>();
        meta.add(List.of("name", e.name()));
        meta.add(List.of("from", e.from().toString()));
        meta.add(List.of("to", e.to().toString()));
        meta.add(List.of("state", r.provisional() ? "provisional (draft)" : "published " + e.publishedAt()));
        meta.add(List.of("resultsSha256", e.resultsSha256() == null ? "" : e.resultsSha256()));
        meta.add(List.of("selfAssessmentShare", e.selfAssessmentShare()));
        for (Criterion c : EvaluationMethod.CRITERIA) {
            meta.add(List.of("weight " + c.code() + " (" + c.article() + ")", e.weights().get(c.code())));
        }
        return Tables.xlsx("LGSP audit", List.of(new Tables.Sheet("ranking", COLUMNS, rows(r)),
                new Tables.Sheet("method", null, meta)));
    }

    private static EntityTag etag(Evaluation e) {
        return new EntityTag(String.valueOf(e.version()));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
