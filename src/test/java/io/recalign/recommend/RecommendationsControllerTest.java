package io.recalign.recommend;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

class RecommendationsControllerTest {

    @Test
    void aFullQueueIsServiceUnavailableWithRetryAfter() throws Exception {
        Recommender recommender = mock(Recommender.class);
        when(recommender.recommend(any())).thenThrow(new ServiceBusyException(256, Duration.ofMillis(1500)));
        MockMvc mvc = MockMvcBuilders.standaloneSetup(new RecommendationsController(recommender)).build();

        mvc.perform(post(RecommendationsController.PATH).contentType(MediaType.APPLICATION_JSON).content("{\"count\":3}"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "2"))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(503))
                .andExpect(jsonPath("$.retryAfterSeconds").value(2))
                .andExpect(jsonPath("$.detail").value("The service is busy: 256 requests are already waiting. Retry shortly."));
    }
}
