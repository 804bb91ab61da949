package io.recalign.recommend;

import io.recalign.catalog.CatalogService;
import io.recalign.catalog.CatalogSnapshot;
import io.recalign.catalog.DatasetSummary;
import io.recalign.system.BadRequestException;
import io.recalign.system.NotFoundException;
import io.recalign.system.UnprocessableException;
import io.recalign.tasks.ControlledRequest;
import io.recalign.tasks.PromptRenderer;
import io.recalign.tasks.RateKind;
import io.recalign.tasks.Selection;
import io.recalign.tasks.ShareRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.springframework.stereotype.Component;

/**
 * Checks a request and resolves it against its dataset: bounds (400), unknown dataset, user or item (404),
 * unknown category (422, with the closest valid names), controls no list can satisfy (422). Renders the
 * prompt with the tasks renderer, the wording the model was trained on.
 */
@Component
class RequestResolver {

    private static final int SUGGESTIONS = 5;

    private final CatalogService catalog;

    RequestResolver(CatalogService catalog) {
        this.catalog = catalog;
    }

    ResolvedRequest resolve(RecommendationRequest request) {
        int count = request.count() == null ? RecommendationRequest.DEFAULT_COUNT : request.count();
        if (count < 1 || count > RecommendationRequest.MAX_COUNT) {
            throw new BadRequestException("count must be between 1 and " + RecommendationRequest.MAX_COUNT + ", was " + count);
        }
        String instruction = request.instruction();
        if (instruction != null && instruction.length() > RecommendationRequest.MAX_INSTRUCTION) {
            throw new BadRequestException("the instruction may hold at most " + RecommendationRequest.MAX_INSTRUCTION
                    + " characters, it has " + instruction.length());
        }
        bound(request.history(), RecommendationRequest.MAX_HISTORY, "history items");
        bound(request.include(), RecommendationRequest.MAX_CATEGORIES, "include categories");
        bound(request.exclude(), RecommendationRequest.MAX_CATEGORIES, "exclude categories");
        bound(request.candidates(), RecommendationRequest.MAX_CANDIDATES, "candidates");
        Decoding decoding = Decoding.of(request.decoding());
        CatalogSnapshot snapshot = catalog.snapshot(datasetName(request.dataset()));

        List<Integer> history = new ArrayList<>();
        if (request.userId() != null) {
            int user = snapshot.userByExternalId(request.userId()).orElseThrow(() -> new NotFoundException(
                    "no user '" + request.userId() + "' in dataset " + snapshot.dataset()));
            Arrays.stream(snapshot.users().get(user).items()).forEach(history::add);
        }
        history.addAll(items(snapshot, request.history(), "history"));
        int[] include = categories(snapshot, request.include(), "include");
        int[] exclude = categories(snapshot, request.exclude(), "exclude");
        ShareRule share = share(snapshot, request.categoryShare(), count);
        int[] candidates = null;
        if (request.candidates() != null && !request.candidates().isEmpty()) {
            if (history.isEmpty()) {
                throw new BadRequestException("candidates need a history: send a userId or a history");
            }
            candidates = items(snapshot, request.candidates(), "candidates").stream().mapToInt(Integer::intValue).distinct().toArray();
            if (count > candidates.length) {
                throw new BadRequestException("cannot pick " + count + " items from " + candidates.length + " candidates");
            }
        }
        int[] historyItems = history.stream().mapToInt(Integer::intValue).toArray();
        BitSet allowed = Selection.allowedItems(snapshot, historyItems, include, exclude, candidates);
        Selection.requireSatisfiable(count, allowed, share,
                share == null ? null : Selection.categoryItems(snapshot, share.category()));

        ControlledRequest controlled = new ControlledRequest(titles(snapshot, historyItems), count,
                names(snapshot, include), names(snapshot, exclude),
                share == null ? null : new ControlledRequest.CategoryShare(snapshot.categories().get(share.category()),
                        share.kind(), fraction(request.categoryShare())),
                candidates == null ? null : titles(snapshot, candidates), instruction);
        return new ResolvedRequest(snapshot, historyItems, count, include, exclude, share, candidates, decoding,
                PromptRenderer.render(controlled), allowed);
    }

    private String datasetName(String requested) {
        if (requested != null) {
            return requested;
        }
        List<DatasetSummary> datasets = catalog.datasets();
        if (datasets.isEmpty()) {
            throw new NotFoundException("no dataset has been imported yet");
        }
        if (datasets.size() > 1) {
            throw new BadRequestException("several datasets exist; name one in 'dataset': "
                    + String.join(", ", datasets.stream().map(DatasetSummary::name).toList()));
        }
        return datasets.get(0).name();
    }

    private static void bound(List<String> values, int max, String what) {
        if (values != null && values.size() > max) {
            throw new BadRequestException("at most " + max + " " + what + " are allowed, the request has " + values.size());
        }
    }

    /** Items named by external id, else by exact title. */
    private static List<Integer> items(CatalogSnapshot snapshot, List<String> names, String what) {
        List<Integer> items = new ArrayList<>();
        if (names == null) {
            return items;
        }
        for (String name : names) {
            if (name == null || name.isBlank()) {
                throw new BadRequestException(what + " entries must not be blank");
            }
            OptionalInt item = snapshot.itemByExternalId(name);
            if (item.isEmpty()) {
                item = snapshot.itemByTitle(name);
            }
            items.add(item.orElseThrow(() -> new NotFoundException(
                    "no item with id or title '" + name + "' in dataset " + snapshot.dataset())));
        }
        return items;
    }

    private static int[] categories(CatalogSnapshot snapshot, List<String> names, String what) {
        if (names == null) {
            return new int[0];
        }
        return names.stream().mapToInt(name -> category(snapshot, name, what)).distinct().toArray();
    }

    private static int category(CatalogSnapshot snapshot, String name, String what) {
        if (name == null || name.isBlank()) {
            throw new BadRequestException(what + " entries must not be blank");
        }
        return snapshot.categoryByName(name).orElseThrow(() -> {
            List<String> closest = closest(name, snapshot.categories());
            return new UnprocessableException("no category '" + name + "' in dataset " + snapshot.dataset()
                    + "; closest: " + String.join(", ", closest), Map.of("suggestions", closest));
        });
    }

    private static ShareRule share(CatalogSnapshot snapshot, RecommendationRequest.CategoryShare share, int count) {
        if (share == null) {
            return null;
        }
        List<RateKind> kinds = new ArrayList<>();
        if (share.atLeast() != null) {
            kinds.add(RateKind.AT_LEAST);
        }
        if (share.atMost() != null) {
            kinds.add(RateKind.AT_MOST);
        }
        if (share.about() != null) {
            kinds.add(RateKind.ABOUT);
        }
        if (kinds.size() != 1) {
            throw new BadRequestException("categoryShare needs exactly one of atLeast, atMost and about");
        }
        double fraction = fraction(share);
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new BadRequestException("a category share is a fraction between 0 and 1, was " + fraction);
        }
        return ShareRule.of(category(snapshot, share.category(), "categoryShare"), kinds.get(0), fraction, count);
    }

    private static double fraction(RecommendationRequest.CategoryShare share) {
        return share.atLeast() != null ? share.atLeast() : share.atMost() != null ? share.atMost() : share.about();
    }

    private static List<String> titles(CatalogSnapshot snapshot, int[] items) {
        return Arrays.stream(items).mapToObj(item -> snapshot.items().get(item).title()).toList();
    }

    private static List<String> names(CatalogSnapshot snapshot, int[] categories) {
        return Arrays.stream(categories).mapToObj(snapshot.categories()::get).toList();
    }

    /** The valid names nearest to {@code name} by edit distance, ignoring case. */
    static List<String> closest(String name, List<String> valid) {
        String wanted = name.toLowerCase(Locale.ROOT);
        int[] distances = valid.stream().mapToInt(candidate -> distance(wanted, candidate.toLowerCase(Locale.ROOT))).toArray();
        return IntStream.range(0, valid.size()).boxed()
                .sorted(Comparator.<Integer>comparingInt(i -> distances[i]).thenComparing(valid::get))
                .limit(SUGGESTIONS)
                .map(valid::get)
                .toList();
    }

    private static int distance(String a, String b) {
        int[] previous = IntStream.rangeClosed(0, b.length()).toArray();
        int[] current = new int[b.length() + 1];
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
