package vn.lgsp.audit.integrity.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import vn.lgsp.audit.support.AuditClock;
import vn.lgsp.audit.support.Db;

/** Writes the signed anchor of a closed chain day (called with the chain head locked, so the day cannot grow). */
@ApplicationScoped
public class AnchorService {

    @Inject
    AnchorSigner signer;

    @Inject
    AuditClock clock;

    public void anchor(Db.Tx tx, LocalDate day, long count, String lastHash) {
        if (day == null || count <= 0 || lastHash == null) {
            return;
        }
        tx.q("INSERT INTO audit_anchor_key (key_id, algorithm, public_key_pem) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING",
                signer.keyId(), signer.algorithm(), signer.publicKeyPem());
        String signature = signer.sign(AnchorSigner.payload(day, count, lastHash));
        tx.q("""
                INSERT INTO audit_anchor (chain_day, record_count, last_hash, key_id, algorithm, signature, signed_at)
                VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (chain_day) DO NOTHING""",
                day, count, lastHash, signer.keyId(), signer.algorithm(), signature, clock.nowMicros());
    }
}
