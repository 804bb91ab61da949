package io.recalign.recommend;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The product's front door: {@code POST /api/v1/recommendations}. */
@RestController
@ConditionalOnProperty(name = "recalign.mode", havingValue = "server", matchIfMissing = true)
class RecommendationsController {

    static final String PATH = "/api/v1/recommendations";

    private final Recommender recommender;

    RecommendationsController(Recommender recommender) {
        this.recommender = recommender;
    }

    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    RecommendationResponse recommend(@RequestBody RecommendationRequest request) {
        return recommender.recommend(request);
    }

    /** 503 with the Retry-After header the shared problem handler cannot add. */
    @ExceptionHandler(ServiceBusyException.class)
    ResponseEntity<ProblemDetail> busy(ServiceBusyException exception) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(exception.status(), exception.getMessage());
        exception.properties().forEach(problem::setProperty);
        return ResponseEntity.status(exception.status())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(exception.retryAfterSeconds()))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
