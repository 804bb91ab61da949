package io.recalign;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ContextConfiguration;

/**
 * Boots the whole service on a random port, on the embedded PostgreSQL of a data directory created
 * once per test JVM ({@link TestHome}). Every test class carrying only this annotation shares one
 * cached context, so the database starts once; inject {@code RestTestClient} for real HTTP calls or
 * {@code MockMvc} for in-process ones; {@link #ADMIN_TOKEN} opens {@code /admin/**}. Tests share the
 * database: use names unique to the test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"recalign.admin.token=" + IntegrationTest.ADMIN_TOKEN, "recalign.demo.enabled=false"})
@ContextConfiguration(initializers = TestHome.class)
@AutoConfigureRestTestClient
@AutoConfigureMockMvc
public @interface IntegrationTest {

    /** The admin API token of the test service: send {@code Authorization: Bearer} + this. */
    String ADMIN_TOKEN = "test-admin-token";
}
