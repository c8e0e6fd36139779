package vn.lgsp.common.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import vn.lgsp.common.web.RequestIds;

/**
 * Turns every exception that reaches the REST layer into an RFC 9457 problem document.
 * Bad input always ends as a 4xx naming the field and the rule; anything unexpected is logged
 * with the request id and answered as a bare 500 without internals.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, HttpServerRequest request) {
        return respond(e.toProblem(), request, e.headers());
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, HttpServerRequest request) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), ruleOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = errors.stream().map(fe -> fe.field() + ": " + fe.message()).collect(Collectors.joining("; "));
        return respond(new ProblemException(ProblemType.VALIDATION, detail, errors, Map.of()).toProblem(), request, Map.of());
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, HttpServerRequest request) {
        return respond(fromJson(e).toProblem(), request, Map.of());
    }

    // quarkus-rest-jackson ships mappers for these subtypes; ours must be at least as specific to win.
    @ServerExceptionMapper
    public Response jsonParse(com.fasterxml.jackson.core.JsonParseException e, HttpServerRequest request) {
        return json(e, request);
    }

    @ServerExceptionMapper
    public Response jsonMismatch(MismatchedInputException e, HttpServerRequest request) {
        return json(e, request);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, HttpServerRequest request) {
        return respond(new ProblemException(ProblemType.UNAUTHENTICATED, "A valid bearer token is required").toProblem(),
                request, Map.of("WWW-Authenticate", "Bearer"));
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, HttpServerRequest request) {
        if (e.getCause() instanceof ProblemException pe) {
            // A mechanism that knows why (e.g. an RFC 9421 signature refused) says so, with its own challenge.
            return respond(pe.toProblem(), request, pe.headers());
        }
        if (vn.lgsp.common.security.TokenRevokedException.isCauseOf(e)) {
            return respond(new ProblemException(ProblemType.UNAUTHENTICATED, "The bearer token has been revoked (logout, "
                    + "a disabled account, a changed password or a revoked credential); obtain a new one").toProblem(),
                    request, Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"revoked\""));
        }
        return respond(new ProblemException(ProblemType.UNAUTHENTICATED, "The bearer token is invalid or expired").toProblem(),
                request, Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        return respond(new ProblemException(ProblemType.FORBIDDEN, "Your role does not allow this action").toProblem(),
                request, Map.of());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request) {
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException jpe) {
            return json(jpe, request);
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        ProblemType type = switch (status) {
            case 400 -> ProblemType.MALFORMED_BODY;
            case 401 -> ProblemType.UNAUTHENTICATED;
            case 403 -> ProblemType.FORBIDDEN;
            case 404 -> ProblemType.NOT_FOUND;
            case 405 -> ProblemType.METHOD_NOT_ALLOWED;
            case 406 -> ProblemType.NOT_ACCEPTABLE;
            case 409 -> ProblemType.CONFLICT;
            case 412 -> ProblemType.PRECONDITION_FAILED;
            case 413 -> ProblemType.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            default -> status >= 500 ? ProblemType.INTERNAL : ProblemType.MALFORMED_BODY;
        };
        if (status >= 500) {
            LOG.errorf(e, "Unhandled server error");
        }
        String detail = switch (type) {
            case NOT_FOUND -> "No resource at " + request.path();
            case METHOD_NOT_ALLOWED -> "Method " + request.method() + " is not allowed on " + request.path();
            case UNSUPPORTED_MEDIA_TYPE -> "Content-Type " + request.getHeader("Content-Type") + " is not accepted here";
            case INTERNAL -> "An unexpected error occurred; quote the request id to the operator";
            default -> e instanceof NotSupportedException || e instanceof NotAllowedException || e.getMessage() == null
                    ? type.title() : e.getMessage();
        };
        Map<String, String> headers = Map.of();
        if (e instanceof NotAllowedException && e.getResponse() != null && e.getResponse().getHeaderString("Allow") != null) {
            headers = Map.of("Allow", e.getResponse().getHeaderString("Allow"));
        }
        return respond(new ProblemException(type, detail).toProblem(), request, headers);
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e, HttpServerRequest request) {
        String sqlState = dataException(e);
        if (sqlState != null) {
            // A value the request carried that the database cannot store, which validation should have refused: the
            // caller's mistake (400), not an outage. Neither the database's message nor the value is repeated (they can
            // echo the input); the SQLSTATE tells a developer which check is missing.
            LOG.warnf("A request value reached the database and was refused (SQLSTATE %s) on %s %s: add a validation",
                    sqlState, request.method(), request.path());
            return respond(new ProblemException(ProblemType.VALIDATION, "A value in the request cannot be stored: "
                    + dataProblem(sqlState)).toProblem(), request, Map.of());
        }
        LOG.errorf(e, "Unhandled error on %s %s", request.method(), request.path());
        return respond(new ProblemException(ProblemType.INTERNAL,
                "An unexpected error occurred; quote the request id to the operator").toProblem(), request, Map.of());
    }

    /** The SQLSTATE of a data exception (class 22: the value, not the database, is at fault) in the causes, else null. */
    static String dataException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.vertx.sqlclient.DatabaseException d && d.getSqlState() != null
                    && d.getSqlState().startsWith("22")) {
                return d.getSqlState();
            }
        }
        return null;
    }

    static String dataProblem(String sqlState) {
        return switch (sqlState) {
            case "22001" -> "a text is longer than its field allows";
            case "22003" -> "a number is out of range";
            case "22007", "22008" -> "a date or time is out of range";
            case "22021", "22P05" -> "a text contains a character that cannot be stored (such as NUL, U+0000)";
            case "22P02" -> "a value is not in the form its field requires";
            default -> "a value is out of what its field can hold (SQLSTATE " + sqlState + ")";
        };
    }

    static ProblemException fromJson(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            String field = pathOf(u);
            return new ProblemException(ProblemType.VALIDATION, "Unknown field '" + field + "'",
                    List.of(new Problem.FieldError(field, "unknown-field", "This field is not part of the request")), Map.of());
        }
        if (e instanceof InvalidFormatException f) {
            String field = pathOf(f);
            String target = f.getTargetType() == null ? "value" : f.getTargetType().getSimpleName();
            String msg = "Value " + String.valueOf(f.getValue()) + " is not a valid " + target;
            if (f.getTargetType() != null && f.getTargetType().isEnum()) {
                msg += "; expected one of " + java.util.Arrays.toString(f.getTargetType().getEnumConstants()).toLowerCase();
            }
            return new ProblemException(ProblemType.VALIDATION, msg,
                    List.of(new Problem.FieldError(field, "type", msg)), Map.of());
        }
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            String field = pathOf(m);
            String msg = "Field '" + field + "' has the wrong type";
            return new ProblemException(ProblemType.VALIDATION, msg,
                    List.of(new Problem.FieldError(field, "type", msg)), Map.of());
        }
        // Location only: Jackson's own message can echo parts of the input.
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                + ", column " + e.getLocation().getColumnNr();
        return new ProblemException(ProblemType.MALFORMED_BODY, "The body is not well-formed JSON" + where);
    }

    private static String pathOf(JsonMappingException e) {
        List<String> parts = new ArrayList<>();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                parts.add(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                parts.add("[" + ref.getIndex() + "]");
            }
        }
        return String.join(".", parts).replace(".[", "[");
    }

    private static String fieldOf(ConstraintViolation<?> v) {
        // Drop the method and parameter names: integrators know fields, not our Java signatures.
        List<String> names = new ArrayList<>();
        for (Path.Node node : v.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD) {
                continue;
            }
            if (node.getKind() == ElementKind.PARAMETER) {
                names.add(node.getName());
                continue;
            }
            String name = node.getName();
            if (node.getIndex() != null && !names.isEmpty()) {
                names.set(names.size() - 1, names.get(names.size() - 1) + "[" + node.getIndex() + "]");
            }
            // Hibernate Validator names list elements "<list element>": the index already says which.
            if (name != null && node.getKind() != ElementKind.CONTAINER_ELEMENT) {
                names.add(name);
            }
        }
        // A request body parameter is named after the Java parameter ("body", "request"): keep only the field path.
        if (names.size() > 1) {
            names.remove(0);
        }
        return String.join(".", names);
    }

    private static String ruleOf(ConstraintViolation<?> v) {
        String simple = v.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName();
        return Character.toLowerCase(simple.charAt(0)) + simple.substring(1);
    }

    static Response respond(Problem problem, HttpServerRequest request, Map<String, String> headers) {
        String requestId = request == null ? null : request.getHeader(RequestIds.HEADER);
        Object mdc = MDC.get(RequestIds.MDC_KEY);
        if (mdc != null) {
            requestId = mdc.toString();
        }
        Problem body = problem.withContext(request == null ? null : request.path(), requestId);
        Response.ResponseBuilder rb = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(body);
        headers.forEach(rb::header);
        return rb.build();
    }
}
