package vn.lgsp.common.security;

import vn.lgsp.common.audit.AuditEvent;

/**
 * Where {@link AuthenticationFailures} puts its records: the audit publisher in every service but audit, which writes
 * into its own log (it is the publisher's sink).
 */
public interface AuthFailureSink {

    /** Must not block: called on the event loop that refused the request. */
    void record(AuditEvent event);
}
