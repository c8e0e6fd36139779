package vn.lgsp.routing.exchange.domain;

/**
 * Who calls the exchange API: a system (its code, agency and environment from its token) or, with
 * {@code overseer}, an operator or auditor, who may read every envelope's status but never its content.
 */
public record Party(String system, String agency, String environment, String clientId, boolean overseer) {

    public boolean isSource(Envelope e) {
        return system != null && system.equals(e.sourceSystem()) && environment.equals(e.environment());
    }

    public boolean isRecipient(Envelope e) {
        return system != null && system.equals(e.recipientSystem()) && environment.equals(e.environment());
    }
}
