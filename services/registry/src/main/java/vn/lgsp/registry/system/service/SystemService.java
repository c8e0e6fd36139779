package vn.lgsp.registry.system.service;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import vn.lgsp.common.audit.AdminAudit;
import vn.lgsp.common.id.Environment;
import vn.lgsp.common.paging.Page;
import vn.lgsp.common.paging.PageRequest;
import vn.lgsp.common.problem.Problem.FieldError;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.registry.agency.domain.Agency;
import vn.lgsp.registry.agency.repository.AgencyRepository;
import vn.lgsp.registry.support.Access;
import vn.lgsp.registry.support.Actor;
import vn.lgsp.common.web.Etags;
import vn.lgsp.registry.support.Problems;
import vn.lgsp.registry.connection.client.AuthCredentialsClient;
import vn.lgsp.registry.connection.repository.ConnectionRequestRepository;
import vn.lgsp.registry.system.api.SystemRequests.CreateContact;
import vn.lgsp.registry.system.api.SystemRequests.Retire;
import vn.lgsp.registry.system.domain.SystemEvent;
import vn.lgsp.registry.system.api.SystemRequests.CreateSystem;
import vn.lgsp.registry.system.api.SystemRequests.UpdateSystem;
import vn.lgsp.registry.system.domain.Contact;
import vn.lgsp.registry.system.domain.InformationSystem;
import vn.lgsp.registry.system.repository.SystemRepository;
import vn.lgsp.registry.sync.repository.AgencySyncRepository;
import vn.lgsp.registry.sync.service.AgencySync;

/** Information systems and their contact persons; the connection workflow moves their status. */
@ApplicationScoped
public class SystemService {

    static final String RESOURCE = "information_system";
    static final int MAX_CONTACTS = 20;

    @Inject
    SystemRepository repository;

    @Inject
    AgencyRepository agencies;

    @Inject
    Access access;

    @Inject
    AdminAudit audit;

    @Inject
    ConnectionRequestRepository requests;

    @Inject
    AuthCredentialsClient auth;

    @Inject
    AgencySyncRepository syncs;

    @Inject
    AgencySync sync;

    @WithSpan("registry.system.create")
    public Uni<InformationSystem> create(Actor actor, CreateSystem req) {
        checkNetwork(req.baseUrls(), req.allowedSourceIps());
        boolean mandatory = Boolean.TRUE.equals(req.mandatoryConnection());
        requireMandatoryRight(actor, mandatory, false);
        return owner(req.agencyCode())
                .call(agency -> access.requireWrite(actor, agency.code()))
                .flatMap(agency -> repository.pool().withTransaction(conn -> repository.findByCode(conn, req.code())
                        .flatMap(existing -> {
                            if (existing != null) {
                                throw ProblemException.duplicate("code", "System code " + req.code() + " is already registered");
                            }
                            return repository.insert(conn, req.code(), req.name(), agency.code(), req.description(),
                                    req.purpose(), req.baseUrls(), trimmed(req.allowedSourceIps()), req.securityLevel(), mandatory);
                        })
                        .flatMap(v -> repository.findByCode(conn, req.code()))))
                .onFailure(Problems::isUniqueViolation)
                .transform(e -> ProblemException.duplicate("code", "System code " + req.code() + " is already registered"))
                .invoke(s -> audit.record(actor.name(), "system.create", RESOURCE, s.code(), s.agencyCode(), null, s.summary()));
    }

    public Uni<InformationSystem> get(Actor actor, String code) {
        return repository.findByCode(repository.pool(), code)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Information system " + code))
                .call(s -> access.requireRead(actor, s.agencyCode()));
    }

    public Uni<Page<InformationSystem>> list(Actor actor, String status, String agencyCode, Environment environment, String q,
            String sort, String direction, PageRequest page) {
        return access.readable(actor)
                .flatMap(visible -> repository.list(status, agencyCode, environment, q, visible, sort, direction, page));
    }

    @WithSpan("registry.system.update")
    public Uni<InformationSystem> update(Actor actor, String code, String ifMatch, UpdateSystem req) {
        checkNetwork(req.baseUrls(), req.allowedSourceIps());
        boolean mandatory = Boolean.TRUE.equals(req.mandatoryConnection());
        InformationSystem[] before = new InformationSystem[1];
        return owner(req.agencyCode()).flatMap(agency -> repository.pool().withTransaction(conn -> repository.lock(conn, code)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Information system " + code))
                .call(s -> access.requireWrite(actor, s.agencyCode()))
                .call(s -> access.requireWrite(actor, agency.code()))
                .flatMap(s -> {
                    before[0] = s;
                    Etags.require(ifMatch, s.version());
                    if (InformationSystem.RETIRED.equals(s.status())) {
                        throw ProblemException.conflict("System " + code + " is retired and can no longer change");
                    }
                    requireMandatoryRight(actor, mandatory, s.mandatoryConnection());
                    // a move is recorded in the history and queued for auth and catalog in the same transaction
                    Uni<Void> moved = s.agencyCode().equals(agency.code()) ? Uni.createFrom().voidItem()
                            : repository.insertEvent(conn, s.id(), SystemEvent.MOVED, "request", actor.name(), null, s.status(),
                                    s.status(), s.agencyCode(), agency.code()).flatMap(v -> syncs.systemMoved(conn, s.id()));
                    return moved.flatMap(v -> repository.update(conn, s.id(), s.code(), req.name(), agency.code(),
                            req.description(), req.purpose(), req.baseUrls(), trimmed(req.allowedSourceIps()), req.securityLevel(),
                            mandatory));
                })
                .flatMap(v -> repository.findByCode(conn, code))))
                .invoke(s -> audit.record(actor.name(), "system.update", RESOURCE, s.code(), s.agencyCode(), before[0].summary(),
                        s.summary()))
                .invoke(s -> {
                    if (!s.agencyCode().equals(before[0].agencyCode())) {
                        sync.kick();
                    }
                });
    }

    /**
     * Retires a system: it leaves the platform for good. Refused (409) while it has an open connection request
     * (submitted … in production, or suspended): that request is withdrawn or revoked first, through its own workflow,
     * so the credential side effects and the history stay where they belong. auth is still asked to revoke both
     * environments' credentials (idempotent there) in case any were issued outside a request; if auth cannot be
     * reached nothing changes (503).
     */
    @WithSpan("registry.system.retire")
    public Uni<InformationSystem> retire(Actor actor, String code, String ifMatch, Retire req) {
        InformationSystem[] before = new InformationSystem[1];
        return repository.pool().withTransaction(conn -> repository.lock(conn, code)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Information system " + code))
                .call(s -> access.requireWrite(actor, s.agencyCode()))
                .flatMap(s -> {
                    before[0] = s;
                    Etags.check(ifMatch, s.version());
                    if (InformationSystem.RETIRED.equals(s.status())) {
                        throw ProblemException.illegalTransition(s.status(), InformationSystem.RETIRED);
                    }
                    return requests.openRequestOf(conn, s.id());
                })
                .flatMap(open -> {
                    if (open != null) {
                        String message = "System " + code + " has the open connection request " + open
                                + "; withdraw or revoke it first (POST /api/v1/connection-requests/" + open + "/transitions)";
                        throw new ProblemException(ProblemType.CONFLICT, message,
                                List.of(new FieldError("code", "noOpenConnectionRequest", message)), Map.of());
                    }
                    return auth.revoke(code, Environment.TEST).flatMap(v -> auth.revoke(code, Environment.PRODUCTION));
                })
                .flatMap(v -> repository.retire(conn, before[0].id()))
                .flatMap(v -> repository.insertEvent(conn, before[0].id(), SystemEvent.RETIRED, "request", actor.name(),
                        req.comment(), before[0].status(), InformationSystem.RETIRED, before[0].agencyCode(), null))
                .flatMap(v -> repository.findByCode(conn, code)))
                .invoke(s -> audit.record(actor.name(), "system.retire", RESOURCE, s.code(), s.agencyCode(), before[0].summary(),
                        s.summary()));
    }

    /** Retirements and moves between agencies, oldest first. */
    public Uni<List<SystemEvent>> history(Actor actor, String code) {
        return get(actor, code).flatMap(s -> repository.events(repository.pool(), s.id()));
    }

    // --- contacts --------------------------------------------------------------------------------

    public Uni<Contact> addContact(Actor actor, String code, CreateContact req) {
        return repository.pool().withTransaction(conn -> repository.lock(conn, code)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Information system " + code))
                .call(s -> access.requireWrite(actor, s.agencyCode()))
                .flatMap(s -> repository.contacts(conn, s.id(), s.code()).flatMap(existing -> {
                    if (existing.size() >= MAX_CONTACTS) {
                        throw Problems.unprocessable("contacts", "max", "A system has at most " + MAX_CONTACTS + " contact persons");
                    }
                    return repository.insertContact(conn, s.id(), s.code(), req.name(), req.position(), req.phone(), req.email());
                }).invoke(c -> audit.record(actor.name(), "system.contact.add", RESOURCE, s.code(), s.agencyCode(), null,
                        Map.of("contactId", c.id().toString(), "name", c.name(), "position", c.position())))));
    }

    public Uni<List<Contact>> contacts(Actor actor, String code) {
        return get(actor, code).flatMap(s -> repository.contacts(repository.pool(), s.id(), s.code()));
    }

    public Uni<Void> deleteContact(Actor actor, String code, UUID contactId) {
        return repository.pool().withTransaction(conn -> repository.lock(conn, code)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Information system " + code))
                .call(s -> access.requireWrite(actor, s.agencyCode()))
                .flatMap(s -> repository.deleteContact(conn, s.id(), contactId).map(deleted -> {
                    if (!deleted) {
                        throw ProblemException.notFound("Contact " + contactId + " of system " + code);
                    }
                    audit.record(actor.name(), "system.contact.delete", RESOURCE, s.code(), s.agencyCode(),
                            Map.of("contactId", contactId.toString()), null);
                    return null;
                })))
                .onFailure(Problems::isForeignKeyViolation)
                .transform(e -> ProblemException.conflict("Contact " + contactId
                        + " is the technical contact of a connection request; name another contact on that request first"))
                .replaceWithVoid();
    }

    private Uni<Agency> owner(String agencyCode) {
        return agencies.resolve(agencies.pool(), agencyCode).map(a -> {
            if (a == null) {
                throw Problems.unprocessable("agencyCode", "exists", "No agency has code " + agencyCode);
            }
            if (!a.isActive()) {
                throw Problems.unprocessable("agencyCode", "active", "Agency " + a.code() + " is " + a.status()
                        + (a.successorCodes() == null ? "" : "; its successors are " + a.successorCodes()));
            }
            return a;
        });
    }

    private static void requireMandatoryRight(Actor actor, boolean wanted, boolean current) {
        if (wanted != current && !actor.isOperator()) {
            throw new ProblemException(ProblemType.FORBIDDEN, "Only an operator may change the mandatory-connection list",
                    List.of(new FieldError("mandatoryConnection", "operatorOnly", "only an operator may change this flag")), Map.of());
        }
    }

    private static void checkNetwork(InformationSystem.BaseUrls urls, List<String> ips) {
        List<FieldError> errors = NetworkRules.check(urls == null ? null : urls.test(), urls == null ? null : urls.production(), ips);
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION, errors.size() + " problem(s) with URLs or addresses", errors, Map.of());
        }
    }

    private static List<String> trimmed(List<String> ips) {
        return ips == null ? List.of() : ips.stream().map(String::trim).distinct().toList();
    }
}
