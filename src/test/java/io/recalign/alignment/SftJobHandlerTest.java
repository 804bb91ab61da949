package io.recalign.alignment;

import static org.assertj.core.api.Assertions.assertThat;

import io.recalign.catalog.CatalogSnapshot;
import io.recalign.llm.TokenizerBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SftJobHandlerTest {

    @Test
    void eachTitleIsMadeOfItsCategoriesTokens() {
        CatalogSnapshot snapshot = new CatalogSnapshot("shop", List.of(
                new CatalogSnapshot.Item("a", "Alien (1979)", new int[] {0, 2}),
                new CatalogSnapshot.Item("b", "Babe (1995)", new int[] {1}),
                new CatalogSnapshot.Item("c", "Untagged (2001)", new int[0])),
                List.of("Horror", "Children", "Sci-Fi"), List.of());
        TokenizerBuilder.BuiltTokenizer built = new TokenizerBuilder()
                .corpus(List.of("recommend some items"))
                .titles(snapshot.items().stream().map(CatalogSnapshot.Item::title).toList())
                .categories(snapshot.categories())
                .build();

        Map<Integer, int[]> parts = SftJobHandler.titleCategories(built, snapshot);

        assertThat(parts).containsOnlyKeys(built.titleIds().get("Alien (1979)"), built.titleIds().get("Babe (1995)"));
        assertThat(parts.get(built.titleIds().get("Alien (1979)")))
                .containsExactly(built.categoryIds().get("Horror"), built.categoryIds().get("Sci-Fi"));
        assertThat(parts.get(built.titleIds().get("Babe (1995)"))).containsExactly(built.categoryIds().get("Children"));
    }
}
