package vn.lgsp.registry.agency.service;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import vn.lgsp.common.audit.AdminAudit;
import vn.lgsp.common.paging.Page;
import vn.lgsp.common.paging.PageRequest;
import vn.lgsp.common.problem.Problem.FieldError;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.registry.agency.api.AgencyRequests.CreateAgency;
import vn.lgsp.registry.agency.api.AgencyRequests.Dissolve;
import vn.lgsp.registry.agency.api.AgencyRequests.Merge;
import vn.lgsp.registry.agency.api.AgencyRequests.Rename;
import vn.lgsp.registry.agency.api.AgencyRequests.Split;
import vn.lgsp.registry.agency.api.AgencyRequests.UpdateAgency;
import vn.lgsp.registry.agency.domain.Agency;
import vn.lgsp.registry.agency.domain.AgencyEvent;
import vn.lgsp.registry.agency.repository.AgencyRepository;
import vn.lgsp.registry.support.Access;
import vn.lgsp.registry.support.Actor;
import vn.lgsp.common.web.Etags;
import vn.lgsp.registry.support.Problems;
import vn.lgsp.registry.system.domain.InformationSystem;
import vn.lgsp.registry.system.domain.SystemEvent;
import vn.lgsp.registry.system.repository.SystemRepository;
import vn.lgsp.registry.sync.repository.AgencySyncRepository;
import vn.lgsp.registry.sync.service.AgencySync;

/**
 * Agencies and their life: registration, corrections, and the changes the regulations name (rename with
 * a re-issued code, merge, split, dissolution), each one recorded in the agency's history and the audit log.
 * Every change locks the agency row, so concurrent changes are applied one after the other.
 */
@ApplicationScoped
public class AgencyService {

    static final String RESOURCE = "agency";

    @Inject
    AgencyRepository repository;

    @Inject
    Access access;

    @Inject
    AdminAudit audit;

    @Inject
    SystemRepository systems;

    @Inject
    AgencySyncRepository syncs;

    @Inject
    AgencySync sync;

    @WithSpan("registry.agency.create")
    public Uni<Agency> create(Actor actor, CreateAgency req) {
        actor.requireOperator("register agencies");
        return repository.pool().withTransaction(conn -> repository.codeTaken(conn, req.code())
                .flatMap(taken -> {
                    if (taken) {
                        throw ProblemException.duplicate("code", "Agency code " + req.code() + " is already in use or was used before");
                    }
                    return parent(conn, req.parentCode(), null);
                })
                .flatMap(parentCode -> repository.insert(conn, req.code(), req.name(), req.shortName(), parentCode, req.level()))
                .flatMap(id -> repository.insertEvent(conn, id, AgencyEvent.CREATED, Instant.now(), actor.name(), null, null,
                        req.name(), null, req.code(), null))
                .flatMap(v -> repository.findByCode(conn, req.code())))
                .onFailure(Problems::isUniqueViolation)
                .transform(e -> ProblemException.duplicate("code", "Agency code " + req.code() + " is already in use"))
                .invoke(created -> audit.record(actor.name(), "agency.create", RESOURCE, created.code(), created.code(), null,
                        created.summary()));
    }

    /** By current code or by an old, re-issued one (then {@code resolvedFrom} names the code asked for). */
    public Uni<Agency> get(Actor actor, String code) {
        return repository.resolve(repository.pool(), code)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Agency " + code))
                .call(a -> access.requireRead(actor, a.code()));
    }

    public Uni<List<AgencyEvent>> history(Actor actor, String code) {
        return get(actor, code).flatMap(a -> repository.history(a.id()));
    }

    public Uni<Page<Agency>> list(Actor actor, String status, String parentCode, String q, String sort, String direction,
            PageRequest page) {
        return access.readable(actor).flatMap(visible -> repository.list(status, parentCode, q, visible, sort, direction, page));
    }

    @WithSpan("registry.agency.update")
    public Uni<Agency> update(Actor actor, String code, String ifMatch, UpdateAgency req) {
        actor.requireOperator("change agencies");
        return change(actor, code, "agency.update", (conn, before) -> {
            Etags.require(ifMatch, before.version());
            requireActive(before, "updated");
            return parent(conn, req.parentCode(), before)
                    .flatMap(parentCode -> repository.update(conn, before.id(), before.code(), req.name(), req.shortName(),
                            parentCode, req.level()))
                    .flatMap(v -> repository.insertEvent(conn, before.id(), AgencyEvent.UPDATED, Instant.now(), actor.name(),
                            null, before.name(), req.name(), null, null, null))
                    .replaceWith(before.code());
        });
    }

    @WithSpan("registry.agency.rename")
    public Uni<Agency> rename(Actor actor, String code, String ifMatch, Rename req) {
        actor.requireOperator("rename agencies");
        return change(actor, code, "agency.rename", (conn, before) -> {
            Etags.check(ifMatch, before.version());
            if (!before.isActive()) {
                throw ProblemException.illegalTransition(before.status(), "renamed");
            }
            boolean newCode = req.newCode() != null && !req.newCode().equals(before.code());
            if (!newCode && req.newName().equals(before.name())) {
                throw Problems.unprocessable("newName", "changed", "The agency already has this name and code; nothing to rename");
            }
            String code2 = newCode ? req.newCode() : before.code();
            // a re-issued code cascades to the agency's systems here; auth and catalog are told after the commit
            Uni<Void> reissue = !newCode ? Uni.createFrom().voidItem()
                    : repository.codeTaken(conn, code2).flatMap(taken -> {
                        if (taken) {
                            throw ProblemException.duplicate("newCode", "Agency code " + code2 + " is already in use or was used before");
                        }
                        return repository.reissueCode(conn, before.id(), before.code(), code2);
                    }).flatMap(v -> syncs.systemsOfAgencyMoved(conn, code2))
                            .flatMap(v -> syncs.agencyCodeReissued(conn, before.id(), before.code()));
            return reissue
                    .flatMap(v -> repository.update(conn, before.id(), code2, req.newName(), before.shortName(), before.parentCode(),
                            before.level()))
                    .flatMap(v -> repository.insertEvent(conn, before.id(), AgencyEvent.RENAMED, req.effectiveAt(), actor.name(),
                            req.comment(), before.name(), req.newName(), before.code(), code2, null))
                    .replaceWith(code2);
        }).invoke(a -> sync.kick());
    }

    @WithSpan("registry.agency.merge")
    public Uni<Agency> merge(Actor actor, String code, String ifMatch, Merge req) {
        actor.requireOperator("merge agencies");
        List<MovedSystem> moved = new java.util.concurrent.CopyOnWriteArrayList<>();
        return change(actor, code, "agency.merge", (conn, before) -> {
            Etags.check(ifMatch, before.version());
            if (!before.isActive()) {
                throw ProblemException.illegalTransition(before.status(), Agency.MERGED);
            }
            return successors(conn, List.of(req.intoCode()), before, "intoCode").flatMap(into -> {
                String target = into.get(0);
                // its systems in use move to the agency that absorbed it (retired ones stay, as history)
                return systems.lockActiveOfAgency(conn, before.code()).flatMap(list -> {
                    Map<String, String> targets = new java.util.HashMap<>();
                    list.forEach(sys -> targets.put(sys.code(), target));
                    return moveSystems(conn, actor, list, targets, "agency.merge", req.comment(), moved);
                }).flatMap(v -> repository.setStatus(conn, before.id(), Agency.MERGED, into))
                        .flatMap(v -> syncs.agencyEnded(conn, before.id()))
                        // the merged agency's children now belong to the agency that absorbed it
                        .flatMap(v -> conn.preparedQuery("UPDATE agency SET parent_code = $2, version = version + 1, updated_at = now() WHERE parent_code = $1")
                                .execute(Tuple.of(before.code(), target)))
                        .flatMap(v -> repository.insertEvent(conn, before.id(), AgencyEvent.MERGED, req.effectiveAt(), actor.name(),
                                req.comment(), before.name(), null, before.code(), null, into))
                        .flatMap(v -> repository.findByCode(conn, target))
                        .flatMap(t -> repository.insertEvent(conn, t.id(), AgencyEvent.ABSORBED, req.effectiveAt(), actor.name(),
                                req.comment(), before.name(), t.name(), before.code(), t.code(), null))
                        .replaceWith(before.code());
            });
        }).invoke(a -> auditMoves(actor, moved, "agency.merge")).invoke(a -> sync.kick());
    }

    @WithSpan("registry.agency.split")
    public Uni<Agency> split(Actor actor, String code, String ifMatch, Split req) {
        actor.requireOperator("split agencies");
        vn.lgsp.registry.support.Validation.elements("successorCodes", req.successorCodes(), vn.lgsp.common.id.AgencyCode.REGEX,
                vn.lgsp.common.id.AgencyCode.RULE_MESSAGE);
        List<MovedSystem> moved = new java.util.concurrent.CopyOnWriteArrayList<>();
        return change(actor, code, "agency.split", (conn, before) -> {
            Etags.check(ifMatch, before.version());
            if (!before.isActive()) {
                throw ProblemException.illegalTransition(before.status(), Agency.SPLIT);
            }
            return successors(conn, req.successorCodes(), before, "successorCodes")
                    .flatMap(succ -> systems.lockActiveOfAgency(conn, before.code())
                            .flatMap(list -> moveSystems(conn, actor, list,
                                    assignments(list, req.systems(), req.successorCodes(), succ), "agency.split", req.comment(), moved))
                            .flatMap(v -> repository.setStatus(conn, before.id(), Agency.SPLIT, succ))
                            .flatMap(v -> syncs.agencyEnded(conn, before.id()))
                            .flatMap(v -> repository.insertEvent(conn, before.id(), AgencyEvent.SPLIT, req.effectiveAt(),
                                    actor.name(), req.comment(), before.name(), null, before.code(), null, succ)))
                    .replaceWith(before.code());
        }).invoke(a -> auditMoves(actor, moved, "agency.split")).invoke(a -> sync.kick());
    }

    @WithSpan("registry.agency.dissolve")
    public Uni<Agency> dissolve(Actor actor, String code, String ifMatch, Dissolve req) {
        actor.requireOperator("dissolve agencies");
        return change(actor, code, "agency.dissolve", (conn, before) -> {
            Etags.check(ifMatch, before.version());
            if (!before.isActive()) {
                throw ProblemException.illegalTransition(before.status(), Agency.DISSOLVED);
            }
            // A dissolved agency has no successor to hand its systems to: they must leave first (moved to another
            // agency, or retired after their connection is withdrawn or revoked), or their credentials would keep
            // working for a body that no longer exists.
            return systems.lockActiveOfAgency(conn, before.code()).flatMap(remaining -> {
                if (!remaining.isEmpty()) {
                    List<String> codes = remaining.stream().map(InformationSystem::code).toList();
                    String message = "Agency " + before.code() + " still has systems in use " + codes
                            + "; move them to another agency (PUT /api/v1/systems/{code}) or retire them first,"
                            + " or merge the agency into its successor instead";
                    throw new ProblemException(ProblemType.CONFLICT, message,
                            List.of(new FieldError("systems", "noneInUse", message)), Map.of());
                }
                return repository.setStatus(conn, before.id(), Agency.DISSOLVED, List.of())
                        .flatMap(v -> syncs.agencyEnded(conn, before.id()));
            })
                    .flatMap(v -> repository.insertEvent(conn, before.id(), AgencyEvent.DISSOLVED, req.effectiveAt(), actor.name(),
                            req.comment(), before.name(), null, before.code(), null, null))
                    .replaceWith(before.code());
        }).invoke(a -> sync.kick());
    }

    /** A system moved because its agency was merged or split: in its history at once, audited after the commit. */
    record MovedSystem(String code, String from, String to) {
    }

    /** Moves each system to its new agency, one after the other (a transaction connection runs one query at a time). */
    private Uni<Void> moveSystems(SqlConnection conn, Actor actor, List<InformationSystem> list, Map<String, String> targets,
            String cause, String comment, List<MovedSystem> moved) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (InformationSystem s : list) {
            String to = targets.get(s.code());
            chain = chain.flatMap(v -> systems.moveTo(conn, s.id(), to))
                    .flatMap(v -> systems.insertEvent(conn, s.id(), SystemEvent.MOVED, cause, actor.name(), comment, s.status(),
                            s.status(), s.agencyCode(), to))
                    .flatMap(v -> syncs.systemMoved(conn, s.id()))
                    .invoke(() -> moved.add(new MovedSystem(s.code(), s.agencyCode(), to)));
        }
        return chain;
    }

    private void auditMoves(Actor actor, List<MovedSystem> moved, String cause) {
        for (MovedSystem m : moved) {
            audit.record(actor.name(), "system.move", "information_system", m.code(), m.to(), Map.of("agencyCode", m.from()),
                    Map.of("agencyCode", m.to(), "cause", cause));
        }
    }

    /**
     * A split agency's systems go where the operator says: every system still in use must be assigned to one of the
     * successors; 422 naming {@code systems.<code>} (not this agency's, or not a successor) or {@code systems} (some left out).
     */
    private static Map<String, String> assignments(List<InformationSystem> list, Map<String, String> asked,
            List<String> successorCodes, List<String> resolved) {
        Map<String, String> given = asked == null ? Map.of() : asked;
        List<FieldError> errors = new ArrayList<>();
        Map<String, String> out = new java.util.LinkedHashMap<>();
        Set<String> ours = new java.util.TreeSet<>();
        list.forEach(s -> ours.add(s.code()));
        given.forEach((system, target) -> {
            int i = successorCodes.indexOf(target);
            if (!ours.contains(system)) {
                errors.add(new FieldError("systems." + system, "ofAgency", "is not an active system of the agency being split"));
            } else if (i < 0) {
                errors.add(new FieldError("systems." + system, "successor", "must be one of successorCodes " + successorCodes));
            } else {
                out.put(system, resolved.get(i));
            }
        });
        Set<String> missing = new java.util.TreeSet<>(ours);
        missing.removeAll(given.keySet());
        if (!missing.isEmpty()) {
            errors.add(new FieldError("systems", "allAssigned", "assign every system of the agency to a successor; missing: " + missing));
        }
        if (!errors.isEmpty()) {
            String detail = errors.stream().map(e -> e.field() + ": " + e.message()).reduce((a, b) -> a + "; " + b).orElse("");
            throw new ProblemException(ProblemType.UNPROCESSABLE, detail, errors, Map.of());
        }
        return out;
    }

    /** A change step: given the locked agency, apply the change and answer its (possibly new) code. */
    interface Change {
        Uni<String> apply(SqlConnection conn, Agency before);
    }

    private Uni<Agency> change(Actor actor, String code, String action, Change change) {
        Agency[] seen = new Agency[1];
        return repository.pool().withTransaction(conn -> repository.resolve(conn, code)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Agency " + code))
                .flatMap(found -> repository.lock(conn, found.code()))
                .flatMap(before -> {
                    seen[0] = before;
                    return change.apply(conn, before);
                })
                .flatMap(newCode -> repository.findByCode(conn, newCode)))
                .invoke(after -> audit.record(actor.name(), action, RESOURCE, after.code(), after.code(), seen[0].summary(),
                        after.summary()));
    }

    private static void requireActive(Agency a, String what) {
        if (!a.isActive()) {
            throw new ProblemException(vn.lgsp.common.problem.ProblemType.CONFLICT,
                    "Agency " + a.code() + " is " + a.status() + " and can no longer be " + what);
        }
    }

    /** Resolves the parent (old codes allowed), checks it is active and would not make a cycle; answers its current code. */
    private Uni<String> parent(SqlConnection conn, String parentCode, Agency self) {
        if (parentCode == null) {
            return Uni.createFrom().nullItem();
        }
        return repository.resolve(conn, parentCode).flatMap(p -> {
            if (p == null) {
                throw Problems.unprocessable("parentCode", "exists", "No agency has code " + parentCode);
            }
            if (!p.isActive()) {
                throw Problems.unprocessable("parentCode", "active", "Agency " + p.code() + " is " + p.status());
            }
            if (self == null) {
                return Uni.createFrom().item(p.code());
            }
            return repository.subtree(self.code()).map(below -> {
                if (below.contains(p.code())) {
                    throw Problems.unprocessable("parentCode", "acyclic",
                            "Agency " + p.code() + " is this agency or one of its descendants; the hierarchy would form a cycle");
                }
                return p.code();
            });
        });
    }

    /** Resolves successor codes: each must exist, be active, and differ from the agency itself. */
    private Uni<List<String>> successors(SqlConnection conn, List<String> codes, Agency self, String field) {
        Set<String> distinct = new LinkedHashSet<>(codes);
        if (distinct.size() != codes.size()) {
            throw Problems.unprocessable(field, "distinct", "Each successor may be named once");
        }
        List<Uni<Agency>> lookups = new ArrayList<>();
        for (String c : distinct) {
            lookups.add(repository.resolve(conn, c));
        }
        // one after the other: a transaction connection runs one query at a time
        Uni<List<Agency>> all = Uni.createFrom().item(new ArrayList<>());
        for (Uni<Agency> lookup : lookups) {
            all = all.flatMap(list -> lookup.map(a -> {
                list.add(a);
                return list;
            }));
        }
        List<String> asked = List.copyOf(distinct);
        return all.map(found -> {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < found.size(); i++) {
                Agency a = found.get(i);
                String name = field.equals("intoCode") ? field : field + "[" + i + "]";
                if (a == null) {
                    throw Problems.unprocessable(name, "exists", "No agency has code " + asked.get(i));
                }
                if (Objects.equals(a.id(), self.id())) {
                    throw Problems.unprocessable(name, "other", "An agency cannot be its own successor");
                }
                if (!a.isActive()) {
                    throw Problems.unprocessable(name, "active", "Agency " + a.code() + " is " + a.status());
                }
                out.add(a.code());
            }
            return out;
        });
    }
}
