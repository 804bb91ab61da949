package io.recalign.admin;

import io.recalign.catalog.CatalogFixtures;
import static org.assertj.core.api.Assertions.assertThat;

import io.recalign.IntegrationTest;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

@IntegrationTest
class DatasetsControllerTest {

    private static final String BEARER = "Bearer " + IntegrationTest.ADMIN_TOKEN;

    @Autowired
    RestTestClient http;

    @Autowired
    JdbcClient jdbc;

    @Test
    void importsAServerSideFolderAndListsIt() {
        http.post().uri("/admin/datasets").header(HttpHeaders.AUTHORIZATION, BEARER)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("name", "admin-csv", "format", "movielens", "path", fixture("movielens-csv"), "minCount", 3))
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().location("/admin/datasets/admin-csv")
                .expectBody()
                .jsonPath("$.name").isEqualTo("admin-csv")
                .jsonPath("$.users").isEqualTo(3)
                .jsonPath("$.items").isEqualTo(5)
                .jsonPath("$.interactions").isEqualTo(15)
                .jsonPath("$.categories").isEqualTo(4)
                .jsonPath("$.minCount").isEqualTo(3);

        http.get().uri("/admin/datasets").header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.name == 'admin-csv')].interactions").isEqualTo(15);
        http.get().uri("/admin/datasets/admin-csv").header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.format").isEqualTo("movielens").jsonPath("$.sourceInteractions").isEqualTo(23);
        http.get().uri("/admin/datasets/admin-csv/users/2/history").header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.interactions[*].item").isEqualTo(java.util.List.of("1", "2", "5", "4", "3"))
                .jsonPath("$.interactions[4].split").isEqualTo("test");
        http.get().uri("/admin/datasets/admin-csv/items?page=0&size=2").header(HttpHeaders.AUTHORIZATION, BEARER)
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.content[0].title").isEqualTo("Harbor Lights (1994)")
                .jsonPath("$.content[0].categories").isEqualTo(java.util.List.of("Drama", "Romance"))
                .jsonPath("$.page.totalElements").isEqualTo(5);
    }

    @Test
    void importsUploadedFiles() {
        MultiValueMap<String, Object> form = new LinkedMultiValueMap<>();
        form.add("name", "admin-upload");
        form.add("format", "movielens");
        form.add("minCount", "3");
        for (String file : new String[] {"u.data", "u.item", "u.genre"}) {
            form.add("files", new FileSystemResource(Path.of(fixture("movielens-100k")).resolve(file)));
        }
        http.post().uri("/admin/datasets").header(HttpHeaders.AUTHORIZATION, BEARER)
                .contentType(MediaType.MULTIPART_FORM_DATA).body(form)
                .exchange()
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.interactions").isEqualTo(15)
                .jsonPath("$.source").isEqualTo("upload: u.data, u.genre, u.item");
    }

    @Test
    void generatesASyntheticCatalog() {
        http.post().uri("/admin/datasets/synthetic").header(HttpHeaders.AUTHORIZATION, BEARER)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("name", "admin-synthetic", "users", 40, "items", 60, "seed", 3, "interactionsPerUser", 12))
                .exchange()
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.format").isEqualTo("synthetic").jsonPath("$.users").isEqualTo(40);
    }

    @Test
    void needsTheAdminToken() {
        http.get().uri("/admin/datasets").exchange().expectStatus().isUnauthorized();
        http.post().uri("/admin/datasets").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("name", "admin-anonymous", "format", "jsonl", "path", fixture("jsonl")))
                .exchange().expectStatus().isUnauthorized();
        assertThat(datasetRows("admin-anonymous")).isZero();
    }

    @Test
    void unknownDatasetIsNotFoundProblem() {
        http.get().uri("/admin/datasets/admin-nothing").header(HttpHeaders.AUTHORIZATION, BEARER).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").isEqualTo("no dataset named 'admin-nothing'");
    }

    @Test
    void duplicateNameIsConflictProblem() {
        Map<String, Object> request = Map.of("name", "admin-twice", "format", "jsonl", "path", fixture("jsonl"), "minCount", 3);
        http.post().uri("/admin/datasets").header(HttpHeaders.AUTHORIZATION, BEARER)
                .contentType(MediaType.APPLICATION_JSON).body(request).exchange().expectStatus().isCreated();
        http.post().uri("/admin/datasets").header(HttpHeaders.AUTHORIZATION, BEARER)
                .contentType(MediaType.APPLICATION_JSON).body(request).exchange()
                .expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").isEqualTo("a dataset named 'admin-twice' already exists");
        assertThat(datasetRows("admin-twice")).isOne();
    }

    @Test
    void malformedUploadIsBadRequestWithFileAndLineAndStoresNothing() {
        long interactions = jdbc.sql("select count(*) from interactions").query(Long.class).single();
        MultiValueMap<String, Object> form = new LinkedMultiValueMap<>();
        form.add("name", "admin-malformed");
        form.add("format", "jsonl");
        form.add("files", new FileSystemResource(Path.of(fixture("jsonl")).resolve("items.jsonl")));
        form.add("files", new org.springframework.core.io.ByteArrayResource(
                "{\"user\": 1, \"item\": \"1\", \"timestamp\": 5}\n{\"user\": 1, \"item\": \"1\", \"timestamp\": }\n".getBytes()) {
            @Override
            public String getFilename() {
                return "interactions.jsonl";
            }
        });
        http.post().uri("/admin/datasets").header(HttpHeaders.AUTHORIZATION, BEARER)
                .contentType(MediaType.MULTIPART_FORM_DATA).body(form)
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.file").isEqualTo("interactions.jsonl")
                .jsonPath("$.line").isEqualTo(2)
                .jsonPath("$.detail").value(String.class, detail ->
                        assertThat(detail).startsWith("interactions.jsonl line 2: not valid JSON"));
        assertThat(datasetRows("admin-malformed")).isZero();
        assertThat(jdbc.sql("select count(*) from interactions").query(Long.class).single()).isEqualTo(interactions);
    }

    @Test
    void badImportRequestsAreBadRequestProblems() {
        http.post().uri("/admin/datasets").header(HttpHeaders.AUTHORIZATION, BEARER)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("name", "admin-format", "format", "csv", "path", fixture("jsonl")))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").isEqualTo("unknown format 'csv' (expected movielens or jsonl)");
        http.post().uri("/admin/datasets").header(HttpHeaders.AUTHORIZATION, BEARER)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("name", "admin-missing", "format", "jsonl", "path", fixture("movielens-1m")))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").isEqualTo("missing file items.jsonl");
        assertThat(datasetRows("admin-missing")).isZero();
    }

    private long datasetRows(String name) {
        return jdbc.sql("select count(*) from datasets where name = ?").param(name).query(Long.class).single();
    }

    private static String fixture(String name) {
        return CatalogFixtures.folder(name).toString();
    }
}
