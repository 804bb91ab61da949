package io.recalign.catalog;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** One imported catalog; immutable once stored (its rows are written in the same transaction). */
@Entity
@Table(name = "datasets")
class Dataset {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true)
    private String name;

    @Column(nullable = false)
    private String format;

    @Column(nullable = false)
    private String source;

    @Column(name = "min_count", nullable = false)
    private int minCount;

    @Column(name = "user_count", nullable = false)
    private int userCount;

    @Column(name = "item_count", nullable = false)
    private int itemCount;

    @Column(name = "interaction_count", nullable = false)
    private long interactionCount;

    @Column(name = "category_count", nullable = false)
    private int categoryCount;

    @Column(name = "source_interaction_count", nullable = false)
    private long sourceInteractionCount;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected Dataset() {
    }

    Dataset(String name, String format, String source, int minCount, PreparedCatalog catalog, long sourceInteractions) {
        this.name = name;
        this.format = format;
        this.source = source;
        this.minCount = minCount;
        this.userCount = catalog.userIds().size();
        this.itemCount = catalog.items().size();
        this.interactionCount = catalog.interactionCount();
        this.categoryCount = catalog.categories().size();
        this.sourceInteractionCount = sourceInteractions;
        // PostgreSQL keeps microseconds; the summary returned now must equal the one read back later
        this.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    Long id() {
        return id;
    }

    String name() {
        return name;
    }

    DatasetSummary summary() {
        return new DatasetSummary(name, format, source, minCount, userCount, itemCount, interactionCount,
                categoryCount, sourceInteractionCount, createdAt);
    }
}
