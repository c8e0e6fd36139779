package vn.lgsp.auth.agency.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import vn.lgsp.auth.agency.repository.AgencyChangeRepository;
import vn.lgsp.auth.agency.repository.AgencyChangeRepository.Recoded;
import vn.lgsp.auth.credential.domain.Credential;
import vn.lgsp.auth.credential.repository.CredentialRepository.AgencyMove;
import vn.lgsp.auth.signature.service.HmacKeys;

/**
 * Keeps credentials and agency-admin accounts naming the agency registry says they belong to. Only future
 * tokens and signature checks see the new code: tokens already issued keep their {@code agency} claim until they
 * expire (at most 1 h), which is not worth revoking them for, since the system and its rights are unchanged.
 * The hmac-keys feed needs no bump here: its revision follows a fingerprint that includes the agency code.
 */
@ApplicationScoped
public class AgencyChanges {

    @Inject
    AgencyChangeRepository repository;

    @Inject
    vn.lgsp.auth.account.repository.AccountRepository accounts;

    /** Disabled accounts' tokens are revoked: enforced on this replica before answering. */
    @Inject
    vn.lgsp.common.security.RevocationPoller revocations;

    /** Signature verification answers with the agency of a cached key; that answer must not stay stale. */
    @Inject
    HmacKeys hmacKeys;

    public Uni<List<AgencyMove>> moveSystem(String systemCode, String agencyCode) {
        return repository.moveSystem(systemCode, agencyCode).invoke(this::forget);
    }

    public Uni<Recoded> recodeAgency(String oldCode, String newCode) {
        return repository.recodeAgency(oldCode, newCode).invoke(r -> forget(r.credentials()));
    }

    /**
     * The agency was merged, split or dissolved: its agency-admin accounts are disabled (their usernames), so nobody
     * keeps acting for a body that no longer exists, and the tokens they hold are revoked. Their people may go on at a successor, under an account an
     * operator grants there. Its systems' credentials are not touched: registry moves those systems first (and
     * refuses to dissolve an agency that still has systems in use).
     */
    public Uni<List<String>> endAgency(String agencyCode) {
        return accounts.disableAgency(agencyCode)
                .call(names -> names.isEmpty() ? Uni.createFrom().voidItem() : Uni.createFrom().completionStage(revocations.refresh()));
    }

    private void forget(List<AgencyMove> moves) {
        moves.stream().filter(m -> Credential.HMAC.equals(m.kind())).forEach(m -> hmacKeys.invalidate(m.clientId()));
    }
}
