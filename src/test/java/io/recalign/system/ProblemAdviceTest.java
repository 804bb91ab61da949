package io.recalign.system;

import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MaxUploadSizeExceededException;

/** How each kind of failure is rendered, on a controller made to fail on purpose. */
class ProblemAdviceTest {

    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new FailingController())
            .setControllerAdvice(new ProblemAdvice())
            .build();

    @Test
    void applicationExceptionsKeepTheirStatusDetailAndProperties() throws Exception {
        mvc.perform(get("/not-found")).andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("no such dataset: mls"));
        mvc.perform(get("/bad-request")).andExpect(status().isBadRequest());
        mvc.perform(get("/conflict")).andExpect(status().isConflict())
                .andExpect(jsonPath("$.title").value("Conflict"));
        mvc.perform(get("/unprocessable")).andExpect(status().isUnprocessableContent())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.file").value("ratings.csv"))
                .andExpect(jsonPath("$.line").value(7));
    }

    @Test
    void unexpectedFailureHidesItsInternals() throws Exception {
        mvc.perform(get("/bug")).andExpect(status().isInternalServerError())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.reference").isString())
                .andExpect(content().string(not(containsString("secret"))))
                .andExpect(content().string(not(containsString("NullPointerException"))));
    }

    @Test
    void malformedJsonIsBadRequestProblem() throws Exception {
        mvc.perform(post("/items").contentType(MediaType.APPLICATION_JSON).content("{\"name\": "))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(containsString("not readable")));
    }

    @Test
    void unsupportedMediaTypeIsProblem() throws Exception {
        mvc.perform(post("/items").contentType(MediaType.TEXT_PLAIN).content("name"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void invalidFieldsAreListed() throws Exception {
        mvc.perform(post("/items").contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"\", \"count\": -1}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors.length()").value(2))
                .andExpect(jsonPath("$.errors[?(@.field == 'name')].message").exists())
                .andExpect(jsonPath("$.errors[?(@.field == 'count')].message").exists());
    }

    @Test
    void oversizeUploadIsContentTooLarge() throws Exception {
        mvc.perform(get("/upload")).andExpect(status().isContentTooLarge())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @RestController
    static class FailingController {

        record Item(@NotBlank String name, @Positive int count) {
        }

        @GetMapping("/not-found")
        void notFound() {
            throw new NotFoundException("no such dataset: mls");
        }

        @GetMapping("/bad-request")
        void badRequest() {
            throw new BadRequestException("unknown format: xml");
        }

        @GetMapping("/conflict")
        void conflict() {
            throw new ConflictException("dataset mls already exists");
        }

        @GetMapping("/unprocessable")
        void unprocessable() {
            throw new UnprocessableException("malformed line", Map.of("file", "ratings.csv", "line", 7));
        }

        @GetMapping("/bug")
        void bug() {
            throw new NullPointerException("secret internal state");
        }

        @GetMapping("/upload")
        void upload() {
            throw new MaxUploadSizeExceededException(1024);
        }

        @PostMapping(path = "/items", consumes = MediaType.APPLICATION_JSON_VALUE)
        Item create(@Valid @RequestBody Item item) {
            return item;
        }
    }
}
