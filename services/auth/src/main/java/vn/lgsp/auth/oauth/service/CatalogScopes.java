package vn.lgsp.auth.oauth.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;
import vn.lgsp.auth.config.AuthConfig;
import vn.lgsp.auth.oauth.api.OAuthException;
import vn.lgsp.common.client.PlatformConfig;

/**
 * The {@code scope} of a system token: the service versions the system holds an active subscription to in that
 * environment, asked from catalog at issue time with auth's own (in-process) service token. When catalog cannot
 * answer, no token is issued ({@code temporarily_unavailable}): a token with a wrong scope is worse than none.
 */
@ApplicationScoped
public class CatalogScopes {

    private static final Logger LOG = Logger.getLogger(CatalogScopes.class);
    private static final int PAGE_SIZE = 200;
    private static final int MAX_PAGES = 10;

    @Inject
    AuthConfig config;

    @Inject
    PlatformConfig platform;

    @Inject
    TokenSigner signer;

    @Inject
    ObjectMapper mapper;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Space-separated {@code serviceCode:version}, sorted, de-duplicated; empty when scopes are not taken from catalog. */
    public Uni<String> scopeOf(String systemCode, String environment) {
        if (!config.scopeFromCatalog()) {
            return Uni.createFrom().item("");
        }
        return page(systemCode, environment, 0, new LinkedHashSet<>()).map(set -> String.join(" ", set.stream().sorted().toList()));
    }

    private Uni<Set<String>> page(String systemCode, String environment, int page, Set<String> acc) {
        String url = platform.catalogUrl() + "/api/v1/subscriptions?consumerSystem=" + enc(systemCode) + "&environment="
                + enc(environment) + "&status=active&page=" + page + "&size=" + PAGE_SIZE;
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(platform.callTimeout())
                .header("Authorization", "Bearer " + signer.serviceNow("auth").token())
                .header("Accept", "application/json").GET().build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .onFailure().transform(e -> unavailable("catalog unreachable: " + e.getMessage()))
                .chain(response -> {
                    if (response.statusCode() != 200) {
                        return Uni.createFrom().failure(unavailable("catalog answered HTTP " + response.statusCode()));
                    }
                    JsonNode body;
                    try {
                        body = mapper.readTree(response.body());
                    } catch (java.io.IOException e) {
                        return Uni.createFrom().failure(unavailable("catalog answered unreadable JSON"));
                    }
                    JsonNode items = body.isArray() ? body : body.path("items");
                    List<String> found = new ArrayList<>();
                    for (JsonNode item : items) {
                        String code = item.path("serviceCode").asText(null);
                        String version = item.path("version").asText(null);
                        if (code != null && version != null) {
                            found.add(code + ":" + version);
                        }
                    }
                    acc.addAll(found);
                    long total = body.path("total").asLong(-1);
                    boolean more = !body.isArray() && total > (long) (page + 1) * PAGE_SIZE && page + 1 < MAX_PAGES;
                    return more ? page(systemCode, environment, page + 1, acc) : Uni.createFrom().item(acc);
                });
    }

    private static OAuthException unavailable(String why) {
        LOG.warnf("No token issued: %s", why);
        return new OAuthException(503, "temporarily_unavailable", "The subscription catalog is unavailable; retry shortly",
                java.util.Map.of("Retry-After", "5"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
