package io.recalign.admin;

import io.recalign.catalog.CatalogService;
import io.recalign.catalog.DatasetFormat;
import io.recalign.catalog.DatasetSummary;
import io.recalign.catalog.ImportRequest;
import io.recalign.catalog.InvalidDatasetException;
import io.recalign.catalog.SyntheticSpec;
import io.recalign.catalog.UserHistory;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.data.web.PagedModel;
import org.springframework.http.MediaType;
import org.springframework.util.FileSystemUtils;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** Import, generate and inspect datasets. */
@RestController
@RequestMapping("/admin/datasets")
class DatasetsController {

    /** The longest file name common file systems accept. */
    private static final int MAX_FILE_NAME_BYTES = 255;

    private final CatalogService catalog;

    DatasetsController(CatalogService catalog) {
        this.catalog = catalog;
    }

    /** Imports the files of a folder on the server: {@code {"name", "format", "path", "minCount"?}}. */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<DatasetSummary> importFolder(@RequestBody ImportRequest request) {
        return created(catalog.importDataset(request));
    }

    /**
     * Imports uploaded files (multipart form: {@code name}, {@code format}, optional {@code minCount}, and
     * one {@code files} part per file, named as in the folder layout, e.g. ratings.csv and movies.csv).
     */
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<DatasetSummary> importUpload(@RequestParam String name, @RequestParam String format,
            @RequestParam(required = false) Integer minCount, @RequestParam("files") List<MultipartFile> files)
            throws IOException {
        DatasetFormat datasetFormat = DatasetFormat.fromLabel(format);
        Path folder = Files.createTempDirectory("recalign-upload-");
        try {
            for (MultipartFile file : files) {
                file.transferTo(folder.resolve(uploadName(file)));
            }
            String source = "upload: " + files.stream().map(MultipartFile::getOriginalFilename).sorted()
                    .collect(Collectors.joining(", "));
            return created(catalog.importFolder(name, datasetFormat, folder,
                    minCount == null ? CatalogService.DEFAULT_MIN_COUNT : minCount, source));
        } finally {
            FileSystemUtils.deleteRecursively(folder);
        }
    }

    /** Generates a synthetic catalog: {@code {"name", "users"?, "items"?, "interactionsPerUser"?, "seed"?}}. */
    @PostMapping(path = "/synthetic", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<DatasetSummary> synthetic(@RequestBody SyntheticRequest request) {
        return created(catalog.generateSynthetic(request.name(), request.spec()));
    }

    @GetMapping
    List<DatasetSummary> list() {
        return catalog.datasets();
    }

    @GetMapping("/{name}")
    DatasetSummary one(@PathVariable String name) {
        return catalog.dataset(name);
    }

    /** The dataset's items in index order, a page at a time. */
    @GetMapping("/{name}/items")
    PagedModel<CatalogService.ItemView> items(@PathVariable String name,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(1000) int size) {
        return new PagedModel<>(catalog.items(name, page, size));
    }

    /** A user's ordered sequence with the leave-one-out split. */
    @GetMapping("/{name}/users/{user}/history")
    UserHistory history(@PathVariable String name, @PathVariable String user) {
        return catalog.history(name, user);
    }

    record SyntheticRequest(String name, Integer users, Integer items, Integer interactionsPerUser, Long seed) {

        SyntheticSpec spec() {
            SyntheticSpec defaults = SyntheticSpec.defaults();
            return new SyntheticSpec(users == null ? defaults.users() : users, items == null ? defaults.items() : items,
                    interactionsPerUser == null ? defaults.interactionsPerUser() : interactionsPerUser,
                    seed == null ? defaults.seed() : seed);
        }
    }

    private static ResponseEntity<DatasetSummary> created(DatasetSummary dataset) {
        return ResponseEntity.created(URI.create("/admin/datasets/" + dataset.name())).body(dataset);
    }

    /** The uploaded file's own name, which must be a plain file name (the reader looks files up by name). */
    private static String uploadName(MultipartFile file) {
        String name = file.getOriginalFilename();
        if (name == null || name.isBlank() || name.contains("/") || name.contains("\\") || name.startsWith(".")
                || name.chars().anyMatch(Character::isISOControl)
                || name.getBytes(StandardCharsets.UTF_8).length > MAX_FILE_NAME_BYTES) {
            throw new InvalidDatasetException("each uploaded file needs a plain file name such as ratings.csv, was '"
                    + (name == null ? null : name.replaceAll("\\p{Cntrl}", "?")) + "'");
        }
        return name;
    }
}
