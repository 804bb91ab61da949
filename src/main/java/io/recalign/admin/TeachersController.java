package io.recalign.admin;

import io.recalign.teacher.TeacherRecord;
import io.recalign.teacher.TeacherService;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The stored teachers: configuration, metrics, which one is active. Training goes through {@code POST /admin/jobs}. */
@RestController
class TeachersController {

    private final TeacherService teachers;

    TeachersController(TeacherService teachers) {
        this.teachers = teachers;
    }

    /** Stored teachers, newest first, optionally of one dataset (404 when there is no such dataset). */
    @GetMapping("/admin/teachers")
    List<TeacherRecord> list(@RequestParam(required = false) String dataset,
            @RequestParam(defaultValue = "20") @Min(1) @Max(1000) int limit) {
        return teachers.list(dataset == null || dataset.isBlank() ? null : dataset, limit);
    }

    @GetMapping("/admin/teachers/{id}")
    TeacherRecord one(@PathVariable long id) {
        return teachers.get(id);
    }

    /** The dataset's active teacher, or a 404 problem that says how to train one. */
    @GetMapping("/admin/datasets/{name}/teacher")
    TeacherRecord active(@PathVariable String name) {
        return teachers.activeRecord(name);
    }
}
