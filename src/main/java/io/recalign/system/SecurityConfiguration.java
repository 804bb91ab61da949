package io.recalign.system;

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
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * {@code /admin/**} needs {@code Authorization: Bearer <token>}; everything else (the public API,
 * probes, metrics, OpenAPI) is open. Stateless, no sessions, no CSRF: clients are programs holding a
 * token, not browsers holding cookies. Rejections go through the MVC exception handling, so they are
 * problem+json like every other error.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class SecurityConfiguration {

    private static final String BEARER = "Bearer ";
    private static final String ADMIN = "ROLE_ADMIN";

    @Bean
    AdminToken adminToken(RecalignProperties properties) {
        return AdminToken.configuredOrGenerated(properties.admin().token());
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, AdminToken token,
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
                .addFilterBefore(new AdminTokenFilter(token), AuthorizationFilter.class)
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
