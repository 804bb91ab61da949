package io.recalign.system;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;

@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class WebConfiguration {

    private static final String ADMIN_TOKEN_SCHEME = "admin-token";

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(RecalignProperties properties,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
                new RequestBodyLimitFilter(properties.http().maxBodySize(), problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
        return registration;
    }

    @Bean
    OpenAPI recalignOpenApi() {
        return new OpenAPI()
                .info(new Info().title("recalign")
                        .description("Instruction-following recommendations from a language model aligned to a recommender. "
                                + "/api/v1 is the public API; /admin needs the admin bearer token."))
                .components(new Components().addSecuritySchemes(ADMIN_TOKEN_SCHEME,
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")));
    }

    /** Marks every operation under /admin as needing the token, so admin controllers need no annotation. */
    @Bean
    OpenApiCustomizer adminOperationsNeedTheToken() {
        return openApi -> openApi.getPaths().forEach((path, item) -> {
            if (path.startsWith("/admin/")) {
                item.readOperations().forEach(operation ->
                        operation.addSecurityItem(new SecurityRequirement().addList(ADMIN_TOKEN_SCHEME)));
            }
        });
    }
}
