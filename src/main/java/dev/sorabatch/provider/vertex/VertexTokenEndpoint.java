package dev.sorabatch.provider.vertex;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import dev.sorabatch.simulator.LoopbackHttpServer;
import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.simulator.Wire;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulated Google OAuth 2.0 token endpoint ({@code oauth2.googleapis.com/token}) on its own listener, for the
 * service-account flow: {@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer} with an RS256 JWT assertion,
 * whose signature is checked against the simulator's service-account key and whose claims (issuer, audience,
 * scope, a lifetime of at most an hour) are checked as Google does; the answer is an access token with
 * {@code expires_in}. Refusals are Google's {@code {"error": "invalid_grant", "error_description": …}}. The tokens
 * granted are remembered here, with how long the simulated APIs honour them.
 */
final class VertexTokenEndpoint implements LoopbackHttpServer.Handler {

    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    static final String GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token";

    /** What a bearer token presented to an API is. */
    enum Check { VALID, MISSING, UNKNOWN, EXPIRED, NO_SCOPE }

    private record Granted(long validUntilMillis, boolean cloudPlatform) {
    }

    private final VertexSimulator simulator;
    private final Map<String, Granted> granted = new ConcurrentHashMap<>();
    private volatile VertexServiceAccount account;

    VertexTokenEndpoint(VertexSimulator simulator) {
        this.simulator = simulator;
    }

    void trust(VertexServiceAccount account) {
        this.account = account;
    }

    @Override
    public LoopbackHttpServer.Reply handle(LoopbackHttpServer.Request request) {
        if (!request.path().equals("/token") || !request.method().equals("POST")) {
            simulator.count("not-found");
            return VertexReplies.json(404, Wire.JSON.createObjectNode().put("error", "not_found"));
        }
        simulator.count("token");
        Map<String, String> form = Wire.query(new String(request.body(), StandardCharsets.UTF_8));
        if (!JWT_BEARER.equals(form.get("grant_type"))) {
            return refusal("unsupported_grant_type", "Invalid grant_type: " + form.get("grant_type"));
        }
        String problem = problemWith(form.get("assertion"));
        if (problem == null && !settings().getTokenRefusal().isBlank()) {
            problem = settings().getTokenRefusal().strip();
        }
        if (problem != null) {
            simulator.count("token-refused");
            return refusal(problem.startsWith("invalid_scope:") ? "invalid_scope" : "invalid_grant",
                    problem.replaceFirst("^invalid_scope:\\s*", ""));
        }
        byte[] random = new byte[32];
        ThreadLocalRandom.current().nextBytes(random);
        String token = "ya29.sim-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        long lifetime = settings().getTokenLifetime().toMillis();
        long honoured = settings().getTokenValidFor() == null ? lifetime : settings().getTokenValidFor().toMillis();
        // a token for other scopes is granted too; the APIs then refuse it (403, insufficient scopes)
        granted.put(token, new Granted(System.currentTimeMillis() + Math.min(lifetime, honoured),
                List.of(scopeOf(form.get("assertion")).split(" ")).contains(VertexAuth.SCOPE)));
        ObjectNode body = Wire.JSON.createObjectNode();
        body.put("access_token", token);
        body.put("expires_in", lifetime / 1000);
        body.put("token_type", "Bearer");
        return VertexReplies.json(200, body).header("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate");
    }

    /** An {@code Authorization} header, as the Vertex and Cloud Storage listeners see it. */
    Check check(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return Check.MISSING;
        }
        Granted token = granted.get(authorization.substring("Bearer ".length()).strip());
        if (token == null) {
            return Check.UNKNOWN;
        }
        if (System.currentTimeMillis() >= token.validUntilMillis()) {
            return Check.EXPIRED;
        }
        return token.cloudPlatform() ? Check.VALID : Check.NO_SCOPE;
    }

    /** Every token granted so far stops being honoured (as after the service's clock jumped past them). */
    void expireAll() {
        granted.replaceAll((token, g) -> new Granted(0, g.cloudPlatform()));
    }

    /** Why Google would refuse this assertion, in its words; null when it would grant a token. */
    private String problemWith(String assertion) {
        VertexServiceAccount key = account;
        String[] parts = assertion == null ? new String[0] : assertion.split("\\.");
        if (parts.length != 3 || key == null) {
            return "Invalid JWT: the assertion is not a signed JWT.";
        }
        JsonNode header = decode(parts[0]);
        JsonNode claims = decode(parts[1]);
        if (header == null || claims == null || !"RS256".equals(header.path("alg").asString(""))) {
            return "Invalid JWT: the assertion is not a signed JWT.";
        }
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(key.publicKey());
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rsa.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return "Invalid JWT Signature.";
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return "Invalid JWT Signature.";
        }
        if (!key.email().equals(claims.path("iss").asString(""))) {
            return "Invalid grant: account not found";
        }
        // Google's library names Google's own endpoint as the audience whatever token_uri says; both are taken
        String audience = claims.path("aud").asString("");
        if (!audience.equals(key.tokenUri()) && !audience.equals(GOOGLE_TOKEN_URI)) {
            return "Invalid JWT: Failed audience check. The right audience is " + GOOGLE_TOKEN_URI;
        }
        long now = System.currentTimeMillis() / 1000;
        long iat = claims.path("iat").asLong(0);
        long exp = claims.path("exp").asLong(0);
        if (exp <= iat || exp - iat > 3600 || iat > now + 300 || exp < now - 300) {
            return "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
                    + "Check your iat and exp values in the JWT claim.";
        }
        String scope = claims.path("scope").asString("");
        if (scope.isBlank()) {
            return "invalid_scope: Empty or missing scope not allowed.";
        }
        return null;
    }

    private static String scopeOf(String assertion) {
        return decode(assertion.split("\\.")[1]).path("scope").asString("");
    }

    private static JsonNode decode(String part) {
        try {
            return Wire.parseOrNull(Base64.getUrlDecoder().decode(part));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static LoopbackHttpServer.Reply refusal(String error, String description) {
        return VertexReplies.json(400, Wire.JSON.createObjectNode().put("error", error)
                .put("error_description", description));
    }

    private SimulatorSettings.Google settings() {
        return simulator.settings().getGoogle();
    }
}
