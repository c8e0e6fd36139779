package vn.lgsp.auth.oauth.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Renders {@link OAuthException} as RFC 6749 §5.2 JSON, never cached. */
public class OAuthExceptionMapper {

    @ServerExceptionMapper
    public Response oauth(OAuthException e) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", e.error());
        body.put("error_description", e.description());
        Response.ResponseBuilder rb = Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(body)
                .header("Cache-Control", "no-store").header("Pragma", "no-cache");
        e.headers().forEach(rb::header);
        return rb.build();
    }
}
