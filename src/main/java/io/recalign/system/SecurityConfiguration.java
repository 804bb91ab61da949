package io.recalign.system;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * {@code /admin/**} needs {@code Authorization: Bearer <token>}; the public API needs an API key only when
 * {@code RECALIGN_API_KEYS} configures some; everything else (probes, metrics, OpenAPI) is open. Every
 * answer carries the security headers (nosniff, no framing, no referrer, no caching, a content security
 * policy Swagger UI and the HTML report work under). Stateless, no sessions, no CSRF: clients are programs holding a
 * token, not browsers holding cookies. Rejections go through the MVC exception handling, so they are
 * problem+json like every other error.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);
    private static final String BEARER = "Bearer ";
    private static final String ADMIN = "ROLE_ADMIN";
    static final String API_KEY_HEADER = "X-API-Key";
    private static final String PUBLIC_API = "/api/";
    /**
     * Only this origin's own scripts (Swagger UI loads its bundle and initializer as files); inline styles
     * and data: images for Swagger UI's icons and the evaluation report's own style sheet and SVG charts;
     * no plugins, no framing.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
            + "form-action 'self'; frame-ancestors 'none'";

    @Bean
    AdminToken adminToken(RecalignProperties properties) {
        return AdminToken.configuredOrGenerated(properties.admin().token());
    }

    @Bean
    ApiKeys apiKeys(RecalignProperties properties) {
        ApiKeys keys = ApiKeys.parse(properties.api().keys(), System.nanoTime());
        if (keys.enabled()) {
            log.info("The public API needs one of {} API keys", keys.size());
        }
        return keys;
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, AdminToken token, ApiKeys apiKeys,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems) {
        AuthenticationEntryPoint entryPoint = (request, response, rejection) -> problems.resolveException(
                request, response, null, bearerToken(request) == null
                        ? new InsufficientAuthenticationException("The admin API needs an 'Authorization: Bearer <token>' header.")
                        : new BadCredentialsException("The bearer token is not valid."));
        return http
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .addFilterBefore(contentTypeGuard(problems), AuthorizationFilter.class)
                .addFilterBefore(new AdminTokenFilter(token), AuthorizationFilter.class)
                .addFilterBefore(new ApiKeyFilter(apiKeys, problems), AuthorizationFilter.class)
                .headers(headers -> headers
                        .contentTypeOptions(Customizer.withDefaults())
                        .frameOptions(frame -> frame.deny())
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER))
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .cacheControl(Customizer.withDefaults()))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/admin/**").hasAuthority(ADMIN)
                        .requestMatchers("/api/v1/**", "/actuator/health/**", "/actuator/prometheus",
                                "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html").permitAll()
                        // unknown paths must reach MVC to answer 404, not 401
                        .anyRequest().permitAll())
                .exceptionHandling(errors -> errors.authenticationEntryPoint(entryPoint))
                .build();
    }

    private static String bearerToken(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        return header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).strip()
                : null;
    }

    /**
     * With API keys configured, every public API request needs a known key in {@code X-API-Key} and a token of
     * that key's bucket: 401 without, 429 with {@code Retry-After} when the key's rate is used up.
     */
    private static final class ApiKeyFilter extends OncePerRequestFilter {

        private final ApiKeys keys;
        private final HandlerExceptionResolver problems;

        ApiKeyFilter(ApiKeys keys, HandlerExceptionResolver problems) {
            this.keys = keys;
            this.problems = problems;
        }

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            return !keys.enabled() || !request.getRequestURI().startsWith(request.getContextPath() + PUBLIC_API);
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String presented = request.getHeader(API_KEY_HEADER);
            ApiKeys.Decision decision = keys.take(presented, System.nanoTime());
            if (decision.allowed()) {
                chain.doFilter(request, response);
                return;
            }
            ApiAccessException refusal;
            if (!decision.known()) {
                refusal = presented == null ? ApiAccessException.missingKey() : ApiAccessException.unknownKey();
                response.setHeader(HttpHeaders.WWW_AUTHENTICATE, API_KEY_HEADER);
            } else {
                refusal = ApiAccessException.rateLimited(decision.retryAfterSeconds());
                response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
            }
            problems.resolveException(request, response, null, refusal);
        }
    }

    /**
     * A Content-Type that is not one concrete media type (a wildcard, a malformed value) is refused with 415
     * before it reaches the message converters, which would fail on it with an internal error.
     */
    private static Filter contentTypeGuard(HandlerExceptionResolver problems) {
        return (request, response, chain) -> {
            String contentType = request.getContentType();
            if (contentType != null && !isConcreteMediaType(contentType)) {
                problems.resolveException((HttpServletRequest) request, (HttpServletResponse) response, null,
                        new HttpMediaTypeNotSupportedException("Content-Type must be one concrete media type"));
                return;
            }
            chain.doFilter(request, response);
        };
    }

    private static boolean isConcreteMediaType(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return !type.isWildcardType() && !type.isWildcardSubtype();
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    /** Authenticates the request as the admin when it carries the right bearer token. */
    private static final class AdminTokenFilter extends OncePerRequestFilter {

        private final AdminToken token;

        AdminTokenFilter(AdminToken token) {
            this.token = token;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (token.matches(bearerToken(request))) {
                SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                        "admin", null, List.of(new SimpleGrantedAuthority(ADMIN))));
            }
            chain.doFilter(request, response);
        }
    }
}
