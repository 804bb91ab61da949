package io.recalign.admin;

import io.recalign.evaluation.ReportService;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The evaluation report of a dataset as one self-contained HTML page. */
@RestController
@RequestMapping("/admin/reports")
class ReportsController {

    private final ReportService reports;

    ReportsController(ReportService reports) {
        this.reports = reports;
    }

    @GetMapping(path = "/{dataset}", produces = MediaType.TEXT_HTML_VALUE)
    String report(@PathVariable String dataset) {
        return reports.render(dataset);
    }
}
