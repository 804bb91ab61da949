package io.recalign.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;
import org.springframework.web.servlet.HandlerExceptionResolver;

class RequestBodyLimitFilterTest {

    private final AtomicReference<Exception> resolved = new AtomicReference<>();
    private final HandlerExceptionResolver resolver = (request, response, handler, exception) -> {
        resolved.set(exception);
        return null;
    };
    private final RequestBodyLimitFilter filter = new RequestBodyLimitFilter(DataSize.ofBytes(8), resolver);

    @Test
    void declaredOversizeBodyIsRejectedBeforeTheApplication() throws Exception {
        MockHttpServletRequest request = request("0123456789", false);
        AtomicReference<Boolean> called = new AtomicReference<>(false);

        filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> called.set(true));

        assertThat(called.get()).isFalse();
        assertThat(resolved.get()).isInstanceOf(BodyTooLargeException.class);
    }

    @Test
    void streamedBodyFailsOnceItPassesTheLimit() throws Exception {
        FilterChain readAll = (req, res) -> ((HttpServletRequest) req).getInputStream().readAllBytes();

        assertThatThrownBy(() -> filter.doFilter(request("0123456789", true), new MockHttpServletResponse(), readAll))
                .isInstanceOf(BodyTooLargeException.class);
        filter.doFilter(request("01234567", true), new MockHttpServletResponse(), readAll);
        assertThat(resolved.get()).isNull();
    }

    @Test
    void multipartUploadsAreLeftToTheirOwnLimits() throws Exception {
        MockHttpServletRequest request = request("0123456789", false);
        request.setContentType("multipart/form-data; boundary=x");
        AtomicReference<Boolean> called = new AtomicReference<>(false);

        filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> called.set(true));

        assertThat(called.get()).isTrue();
    }

    private static MockHttpServletRequest request(String body, boolean chunked) {
        MockHttpServletRequest request = chunked ? new ChunkedRequest() : new MockHttpServletRequest();
        request.setMethod("POST");
        request.setContentType("application/json");
        request.setContent(body.getBytes());
        return request;
    }

    /** A body sent without Content-Length. */
    private static final class ChunkedRequest extends MockHttpServletRequest {
        @Override
        public long getContentLengthLong() {
            return -1;
        }
    }
}
