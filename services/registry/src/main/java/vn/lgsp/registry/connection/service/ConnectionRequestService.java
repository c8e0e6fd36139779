package vn.lgsp.registry.connection.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import vn.lgsp.common.audit.AdminAudit;
import vn.lgsp.common.id.Environment;
import vn.lgsp.common.paging.Page;
import vn.lgsp.common.paging.PageRequest;
import vn.lgsp.common.problem.Problem.FieldError;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.registry.connection.api.ConnectionRequests.ChangeContact;
import vn.lgsp.registry.connection.api.ConnectionRequests.Submit;
import vn.lgsp.registry.connection.api.ConnectionRequests.TransitionCommand;
import vn.lgsp.registry.connection.api.ConnectionRequests.TransitionResult;
import vn.lgsp.registry.connection.client.AuthCredentialsClient;
import vn.lgsp.registry.connection.client.CatalogClient;
import vn.lgsp.registry.connection.domain.ConnectionRequest;
import vn.lgsp.registry.connection.domain.ConnectionRequest.Confirmation;
import vn.lgsp.registry.connection.domain.ConnectionRequest.Confirmations;
import vn.lgsp.registry.connection.domain.Workflow;
import vn.lgsp.registry.connection.domain.Workflow.Action;
import vn.lgsp.registry.connection.domain.Workflow.Decision;
import vn.lgsp.registry.connection.repository.ConnectionRequestRepository;
import vn.lgsp.registry.support.Access;
import vn.lgsp.registry.support.Actor;
import vn.lgsp.common.web.Etags;
import vn.lgsp.registry.support.Problems;
import vn.lgsp.registry.system.domain.InformationSystem;
import vn.lgsp.registry.system.repository.SystemRepository;

/**
 * The connection-request workflow. A transition locks the request, asks auth to issue or revoke credentials
 * when the new state needs it, and only then records the new state: if auth fails, the transaction rolls
 * back and the request stays where it was. The lock also makes a concurrent second action wait and then
 * see the new state (and fail as an illegal transition) instead of acting twice.
 */
@ApplicationScoped
public class ConnectionRequestService {

    static final String RESOURCE = "connection_request";

    @Inject
    ConnectionRequestRepository repository;

    @Inject
    SystemRepository systems;

    @Inject
    AuthCredentialsClient auth;

    @Inject
    CatalogClient catalog;

    @Inject
    Access access;

    @Inject
    AdminAudit audit;

    @WithSpan("registry.connection.submit")
    public Uni<ConnectionRequest> submit(Actor actor, Submit req) {
        vn.lgsp.registry.support.Validation.elements("requestedServices", req.requestedServices(),
                vn.lgsp.registry.support.Validation.SERVICE_REF, vn.lgsp.registry.support.Validation.SERVICE_REF_MESSAGE);
        UUID id = UUID.randomUUID();
        return repository.pool().withTransaction(conn -> systems.lock(conn, req.systemCode())
                .onItem().ifNull().failWith(() -> Problems.unprocessable("systemCode", "exists", "No system has code " + req.systemCode()))
                .call(s -> access.requireWrite(actor, s.agencyCode()))
                .flatMap(s -> {
                    if (InformationSystem.REVOKED.equals(s.status()) || InformationSystem.RETIRED.equals(s.status())) {
                        throw Problems.unprocessable("systemCode", "status", "System " + s.code() + " is " + s.status());
                    }
                    return systems.contacts(conn, s.id(), s.code()).flatMap(contacts -> {
                        if (contacts.isEmpty()) {
                            throw Problems.unprocessable("systemCode", "contactRequired", "System " + s.code()
                                    + " has no contact person; add one (POST /api/v1/systems/" + s.code() + "/contacts) before requesting a connection");
                        }
                        if (contacts.stream().noneMatch(c -> c.id().equals(req.technicalContactId()))) {
                            throw Problems.unprocessable("technicalContactId", "contactOfSystem",
                                    "must be the id of one of the contact persons of system " + s.code());
                        }
                        return repository.openRequestOf(conn, s.id());
                    }).flatMap(open -> {
                        if (open != null) {
                            throw ProblemException.conflict("System " + s.code() + " already has an open connection request ("
                                    + open + "); follow that one, or withdraw it first");
                        }
                        return requireServicesInCatalog(req.requestedServices()).flatMap(checked -> repository.insert(conn, id,
                                s.id(), req.purpose(), req.dataScope(), req.requestedServices().stream().distinct().toList(),
                                req.expectedFrequency(), req.technicalContactId(), Workflow.SUBMITTED, s.mandatoryConnection(),
                                actor.name()));
                    });
                })
                .flatMap(v -> repository.insertTransition(conn, id, actor.name(), actor.primaryRole(), "submit", null,
                        Workflow.SUBMITTED, null))
                .flatMap(v -> load(conn, id)))
                .onFailure(Problems::isUniqueViolation)
                .transform(e -> ProblemException.conflict("System " + req.systemCode() + " already has an open connection request"))
                .invoke(r -> audit.record(actor.name(), "connection_request.submit", RESOURCE, r.id().toString(), r.agencyCode(), null,
                        r.summary()));
    }

    /** Statuses of a catalog version a system may ask to connect to. */
    static final Set<String> REQUESTABLE = Set.of("published", "testing");

    /**
     * Every requested {@code serviceCode:version} must exist in catalog, published or in testing: 422 naming each
     * offending {@code requestedServices[i]}; 503 when catalog cannot say (the caller's transaction then writes nothing).
     */
    Uni<Void> requireServicesInCatalog(List<String> requested) {
        List<String> codes = requested.stream().map(ref -> ref.substring(0, ref.indexOf(':'))).distinct().toList();
        Map<String, Optional<Map<String, String>>> found = new java.util.concurrent.ConcurrentHashMap<>();
        Uni<Void> lookups = Uni.createFrom().voidItem();
        for (String code : codes) {
            lookups = lookups.flatMap(v -> catalog.versions(code).invoke(versions -> found.put(code, versions)).replaceWithVoid());
        }
        return lookups.invoke(() -> {
            List<FieldError> errors = new ArrayList<>();
            for (int i = 0; i < requested.size(); i++) {
                String ref = requested.get(i);
                String code = ref.substring(0, ref.indexOf(':'));
                String version = ref.substring(ref.indexOf(':') + 1);
                Optional<Map<String, String>> versions = found.get(code);
                String field = "requestedServices[" + i + "]";
                if (versions.isEmpty()) {
                    errors.add(new FieldError(field, "existsInCatalog", "catalog has no data service " + code));
                } else if (!versions.get().containsKey(version)) {
                    errors.add(new FieldError(field, "existsInCatalog", "data service " + code + " has no version " + version));
                } else if (!REQUESTABLE.contains(versions.get().get(version))) {
                    errors.add(new FieldError(field, "publishedOrTesting", ref + " is " + versions.get().get(version)
                            + "; only published or testing versions can be requested"));
                }
            }
            if (!errors.isEmpty()) {
                String detail = errors.stream().map(e -> e.field() + ": " + e.message()).reduce((a, b) -> a + "; " + b).orElse("");
                throw new ProblemException(ProblemType.UNPROCESSABLE, detail, errors, Map.of());
            }
        });
    }

    public Uni<ConnectionRequest> get(Actor actor, UUID id) {
        return load(repository.pool(), id).call(r -> access.requireRead(actor, r.agencyCode()));
    }

    public Uni<Page<ConnectionRequest>> list(Actor actor, String status, String systemCode, String agencyCode, String sort,
            String direction, PageRequest page) {
        return access.readable(actor).flatMap(visible -> repository.list(status, systemCode, agencyCode, visible, sort, direction, page));
    }

    @WithSpan("registry.connection.transition")
    public Uni<TransitionResult> transition(Actor actor, UUID id, String ifMatch, TransitionCommand cmd) {
        Action action = Action.parse(cmd.action());
        if (action == null) {
            throw ProblemException.field("action", "enum", "unknown action " + cmd.action());
        }
        // Role first: an agency admin learns it may never approve, whatever the state.
        Workflow.requireRole(action, actor.isOperator(), actor.isAgencyAdmin());
        ConnectionRequest[] before = new ConnectionRequest[1];
        return repository.pool().withTransaction(conn -> repository.lock(conn, id)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Connection request " + id))
                .call(r -> access.requireWrite(actor, r.agencyCode()))
                .flatMap(r -> {
                    before[0] = r;
                    Etags.check(ifMatch, r.version());
                    return apply(conn, actor, r, action, cmd.comment());
                }))
                .invoke(result -> audit.record(actor.name(), "connection_request." + action.wire(), RESOURCE, id.toString(),
                        result.request().agencyCode(), before[0].summary(), auditSummary(result)));
    }

    private Uni<TransitionResult> apply(SqlConnection conn, Actor actor, ConnectionRequest r, Action action, String comment) {
        Confirmations confirmations = r.testConfirmations();
        boolean both = false;
        if (action == Action.CONFIRM_TEST && Workflow.TESTING.equals(r.status())) {
            // An operator confirms for the platform, an agency admin for the agency; each side once.
            Confirmation mine = new Confirmation(actor.name(), Instant.now());
            Confirmation op = confirmations == null ? null : confirmations.operator();
            Confirmation ag = confirmations == null ? null : confirmations.agency();
            if (actor.isOperator()) {
                if (op != null) {
                    throw ProblemException.conflict("The operator side already confirmed the test results (" + op.by() + ")");
                }
                op = mine;
            } else {
                if (ag != null) {
                    throw ProblemException.conflict("The agency side already confirmed the test results (" + ag.by() + ")");
                }
                ag = mine;
            }
            confirmations = new Confirmations(op, ag);
            both = op != null && ag != null;
        }
        Decision decision = Workflow.decide(r.status(), action, r.shortenedProcedure(), r.suspendedFrom(), both);
        String suspendedFrom = Workflow.SUSPENDED.equals(decision.to()) ? r.status() : null;
        // Entering testing starts a fresh round of confirmations.
        Confirmations next = Workflow.TESTING.equals(decision.to()) && action != Action.CONFIRM_TEST ? null : confirmations;
        return effect(decision.effect(), r)
                .call(credential -> repository.update(conn, r.id(), decision.to(), suspendedFrom, next))
                .call(credential -> repository.insertTransition(conn, r.id(), actor.name(), actor.primaryRole(), action.wire(),
                        r.status(), decision.to(), comment))
                .call(credential -> systemStatus(conn, r, decision.to()))
                .flatMap(credential -> load(conn, r.id()).map(loaded -> new TransitionResult(loaded, credential)));
    }

    /**
     * Names another of the system's contact persons as the request's technical contact, while the request is open
     * (not withdrawn or revoked). If-Match is required; the change is in the request's history and the audit log.
     */
    @WithSpan("registry.connection.change-technical-contact")
    public Uni<ConnectionRequest> changeTechnicalContact(Actor actor, UUID id, String ifMatch, ChangeContact cmd) {
        ConnectionRequest[] before = new ConnectionRequest[1];
        return repository.pool().withTransaction(conn -> repository.lock(conn, id)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Connection request " + id))
                .call(r -> access.requireWrite(actor, r.agencyCode()))
                .flatMap(r -> {
                    before[0] = r;
                    Etags.require(ifMatch, r.version());
                    if (Workflow.WITHDRAWN.equals(r.status()) || Workflow.REVOKED.equals(r.status())) {
                        String message = "The request is " + r.status() + "; its technical contact can no longer change";
                        throw new ProblemException(ProblemType.CONFLICT, message,
                                List.of(new FieldError("technicalContactId", "requestOpen", message)), Map.of());
                    }
                    if (r.technicalContactId().equals(cmd.technicalContactId())) {
                        throw Problems.unprocessable("technicalContactId", "changed", "This contact is already the technical contact");
                    }
                    return systems.contacts(conn, r.systemId(), r.systemCode());
                })
                .flatMap(contacts -> {
                    if (contacts.stream().noneMatch(c -> c.id().equals(cmd.technicalContactId()))) {
                        throw Problems.unprocessable("technicalContactId", "contactOfSystem",
                                "must be the id of one of the contact persons of system " + before[0].systemCode());
                    }
                    ConnectionRequest r = before[0];
                    return repository.changeTechnicalContact(conn, id, cmd.technicalContactId())
                            .flatMap(v -> repository.insertContactChange(conn, id, actor.name(), actor.primaryRole(), r.status(),
                                    cmd.comment(), r.technicalContactId(), cmd.technicalContactId()));
                })
                .flatMap(v -> load(conn, id)))
                .invoke(r -> audit.record(actor.name(), "connection_request.change_technical_contact", RESOURCE, id.toString(),
                        r.agencyCode(), Map.of("technicalContactId", before[0].technicalContactId().toString()),
                        Map.of("technicalContactId", r.technicalContactId().toString())));
    }

    /** Calls auth before anything is written; a failure aborts the transaction. */
    private Uni<JsonNode> effect(Workflow.Effect effect, ConnectionRequest r) {
        return switch (effect) {
            case NONE -> Uni.createFrom().nullItem();
            case ISSUE_TEST -> auth.issue(r.systemCode(), r.agencyCode(), Environment.TEST);
            case ISSUE_PRODUCTION -> auth.issue(r.systemCode(), r.agencyCode(), Environment.PRODUCTION);
            // revocation is idempotent at auth: if the second call fails and we roll back, a retry redoes both
            case REVOKE_ALL -> auth.revoke(r.systemCode(), Environment.TEST)
                    .flatMap(v -> auth.revoke(r.systemCode(), Environment.PRODUCTION)).replaceWith((JsonNode) null);
            case REVOKE_TEST -> auth.revoke(r.systemCode(), Environment.TEST).replaceWith((JsonNode) null);
        };
    }

    private Uni<Void> systemStatus(SqlConnection conn, ConnectionRequest r, String to) {
        String status = switch (to) {
            case Workflow.IN_PRODUCTION -> InformationSystem.CONNECTED;
            case Workflow.SUSPENDED -> InformationSystem.SUSPENDED;
            case Workflow.REVOKED -> InformationSystem.REVOKED;
            // resumed into a pre-production state, or withdrawn: connected to nothing
            default -> Workflow.SUSPENDED.equals(r.status()) || Workflow.WITHDRAWN.equals(to) ? InformationSystem.REGISTERED : null;
        };
        return status == null ? Uni.createFrom().voidItem() : systems.setStatus(conn, r.systemId(), status);
    }

    private Uni<ConnectionRequest> load(io.vertx.mutiny.sqlclient.SqlClient client, UUID id) {
        return repository.find(client, id)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Connection request " + id))
                .flatMap(r -> repository.history(client, id).map(r::withHistory));
    }

    /** The audit summary says a credential was issued, never what it is. */
    private static Map<String, Object> auditSummary(TransitionResult result) {
        Map<String, Object> m = new LinkedHashMap<>(result.request().summary());
        if (result.credential() != null) {
            m.put("credentialIssued", true);
        }
        return m;
    }

    static List<String> states() {
        return Workflow.STATES;
    }
}
