package vn.lgsp.auth.platform;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import vn.lgsp.auth.oauth.service.TokenSigner;
import vn.lgsp.common.client.ServiceTokens;

/**
 * auth's own service token (for audit and catalog calls), minted in process instead of over HTTP to itself:
 * auth needs no client secret for itself and works even while its HTTP server is starting.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class InProcessServiceTokens extends ServiceTokens {

    @Inject
    TokenSigner signer;

    @Override
    public CompletableFuture<String> token() {
        try {
            return CompletableFuture.completedFuture(signer.serviceNow("auth").token());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void invalidate() {
        // nothing cached
    }
}
