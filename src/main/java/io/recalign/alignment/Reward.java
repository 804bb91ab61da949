package io.recalign.alignment;

import io.recalign.catalog.CatalogSnapshot;
import io.recalign.tasks.AnswerFormat;
import io.recalign.tasks.ExampleParameters;
import io.recalign.tasks.RateKind;
import io.recalign.tasks.TaskFamily;
import io.recalign.tasks.TitleIndex;
import io.recalign.teacher.Teacher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntPredicate;

/**
 * The reward of one RL answer, method.md §5 (alpha = 0.5). The answer is parsed with {@link AnswerFormat}
 * and each title grounded with {@link TitleIndex}, as evaluation does.
 *
 * <p><b>Item level</b>, title at 0-based position i: −1 when i ≥ N, when the title names no item, when
 * the item repeats an earlier one, or when it is in the user's history (checked in that order, one
 * penalty per title). Otherwise its rank score is 1 for the true target and else 1/log2(r + 3), where r
 * is the teacher's rank counted from 0 ({@link Teacher#rank} counts from 1, so r = rank − 1; this is the
 * reference code's convention and makes the best list score exactly IDCG). In the list's sum the rank
 * score is discounted by 1/log2(i + 2); penalties enter the sum undiscounted. For +C and −C an item also
 * has a control score: 1 when it satisfies the control (in C for +C, not in C for −C), else 0; its item
 * score is then 0.5 × rank score + 0.5 × control score, discounted the same way, so that choosing by
 * category counts at the item level as well as in the list score.
 *
 * <p><b>List level</b> (n_in, n_out count the unpenalised items in and not in C):
 * <ul>
 * <li>SeqRec: 1/log2(p + 2) for the position p of the target among the first N unpenalised items, else 0;</li>
 * <li>+C: 1/(min(N, |C|) − n_in + 1), |C| the number of catalog items in C;</li>
 * <li>−C: 1/(N − n_out + 1);</li>
 * <li>LP/MP/EP, judged as the test judges them ({@link RateKind#judged}): n = the distinct items of C among
 *     the first N titles, penalised for the history or a repeat or not, and for LP also the titles among
 *     them that name no item; 1 when n meets the share rule ({@link RateKind#accepts}: at most k, at least
 *     k, within one of k), else 1/(|n − k| + 1). Counting only unpenalised items would call a list that
 *     fills an at-most limit with seen items of C compliant, which the test does not;</li>
 * <li>ItemCount, which the method leaves open, by its count rule: 1 when the answer holds exactly N
 *     titles, else 1/(|titles − N| + 1), the same shape as the share rule.</li>
 * </ul>
 *
 * <p><b>Shortfall</b> (optional, off by default as in the method): each of the N positions a list leaves
 * empty also earns −1 in the sum. Without it a list that stops early costs nothing at the item level, so a
 * policy whose lists repeat titles gains most by shortening them rather than by listing better ones.
 *
 * <p><b>Answer reward</b> = 10 × (0.5 × Σ discounted item scores / IDCG_N + 0.5 × list score), where
 * IDCG_N is that sum for the best list, the target first, then the teacher's best items in order:
 * Σ_{i&lt;N} 1/log2(i + 2)², and for ±C, whose best items all satisfy the control,
 * Σ_{i&lt;N} 1/log2(i + 2) × (0.5/log2(i + 2) + 0.5). For fine-grained placement
 * ({@link #tokenRewards}) each title's item reward (its item score, −1 when penalised) goes on the last
 * token of its line and the answer reward on the final token.
 */
public final class Reward {

    /** Weight of the ranking part against the task part, in the answer reward and in ±C item rewards. */
    public static final double ALPHA = 0.5;
    /** The answer reward's scale. */
    public static final double SCALE = 10;
    /** What a title earns that breaks a format rule (over N, unknown, repeated, in history). */
    public static final double PENALTY = -1;

    /** One answer to judge: the task it answers, what its prompt was built from, and its text. */
    public record Answer(TaskFamily task, ExampleParameters parameters, String text) {
        public Answer {
            Objects.requireNonNull(task, "task");
            Objects.requireNonNull(parameters, "parameters");
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * What one answer earns.
     *
     * @param items       the catalog item of each parsed title, in answer order (−1: no item)
     * @param itemRewards each title's item reward, for fine-grained placement
     * @param itemTerm    Σ discounted item scores / IDCG_N
     * @param controlTerm the part of {@code itemTerm} that the ±C control scores make (0 for other tasks)
     * @param listScore   the task's list-level score (0..1)
     * @param penalised   titles that earned the −1 penalty (beyond N, unknown, repeated, in the history), and
     *                    with the shortfall penalty the empty positions below N
     * @param total       the answer reward, 10 × (0.5 × itemTerm + 0.5 × listScore)
     */
    public record Score(int[] items, double[] itemRewards, double itemTerm, double controlTerm, double listScore,
                        int penalised, double total) {
    }

    private final TitleIndex titles;
    private final Teacher teacher;
    private final int[][] itemCategories;
    private final int[] categorySizes;
    private final boolean penaliseShortfall;

    /** @param penaliseShortfall whether empty positions below N earn the penalty (false: the method's reward) */
    public Reward(CatalogSnapshot snapshot, Teacher teacher, boolean penaliseShortfall) {
        if (!snapshot.dataset().equals(teacher.dataset())) {
            throw new IllegalArgumentException("the teacher was trained on dataset '" + teacher.dataset()
                    + "', not on '" + snapshot.dataset() + "'");
        }
        this.titles = new TitleIndex(snapshot.items().stream().map(CatalogSnapshot.Item::title).toList());
        this.teacher = teacher;
        this.penaliseShortfall = penaliseShortfall;
        this.itemCategories = new int[snapshot.items().size()][];
        this.categorySizes = new int[snapshot.categories().size()];
        for (int item = 0; item < itemCategories.length; item++) {
            int[] own = snapshot.items().get(item).categories();
            itemCategories[item] = own == null ? new int[0] : Arrays.stream(own).distinct().toArray();
            for (int category : itemCategories[item]) {
                categorySizes[category]++;
            }
        }
    }

    /** Scores answers, with one batched teacher call for the ranks of all their grounded items. */
    public List<Score> score(List<Answer> answers) {
        List<int[]> matched = new ArrayList<>(answers.size());
        List<Teacher.RankQuery> queries = new ArrayList<>(answers.size());
        for (Answer answer : answers) {
            int[] items = titles.matchAll(AnswerFormat.parse(answer.text()));
            matched.add(items);
            queries.add(new Teacher.RankQuery(history(answer.parameters()),
                    Arrays.stream(items).filter(item -> item >= 0).toArray()));
        }
        List<int[]> ranks = teacher.rank(queries);
        List<Score> scores = new ArrayList<>(answers.size());
        for (int a = 0; a < answers.size(); a++) {
            Answer answer = answers.get(a);
            int[] items = matched.get(a);
            int[] teacherRanks = new int[items.length];
            int next = 0;
            for (int i = 0; i < items.length; i++) {
                teacherRanks[i] = items[i] >= 0 ? ranks.get(a)[next++] - 1 : -1;
            }
            int category = answer.parameters().category();
            IntPredicate inCategory = item -> category >= 0 && contains(itemCategories[item], category);
            scores.add(score(answer.task(), answer.parameters(), items, teacherRanks, inCategory,
                    category >= 0 ? categorySizes[category] : 0, penaliseShortfall));
        }
        return scores;
    }

    /**
     * The reward of one grounded answer.
     *
     * @param items        the item of each title in answer order, −1 for a title that names no item
     * @param teacherRanks each item's teacher rank counted from 0 (ignored where the item is −1)
     * @param inCategory   whether an item is in the task's category C
     * @param categorySize |C|, the number of catalog items in C
     * @param penaliseShortfall whether each position below N without a title earns the penalty
     */
    static Score score(TaskFamily task, ExampleParameters parameters, int[] items, int[] teacherRanks,
                       IntPredicate inCategory, int categorySize, boolean penaliseShortfall) {
        int count = parameters.count();
        Set<Integer> history = new HashSet<>(parameters.history());
        Set<Integer> seen = new HashSet<>();
        boolean control = task == TaskFamily.CONTROL_IN || task == TaskFamily.CONTROL_OUT;
        double[] itemRewards = new double[items.length];
        double discounted = 0;
        double discountedControl = 0;
        int inC = 0;
        int outC = 0;
        int targetPosition = -1;
        int penalties = 0;
        Set<Integer> namedInC = new HashSet<>(); // distinct items of C among the first N, penalised or not
        int nameless = 0;                        // titles among the first N that name no item
        for (int i = 0; i < items.length; i++) {
            int item = items[i];
            if (i < count && item < 0) {
                nameless++;
            } else if (i < count && inCategory.test(item)) {
                namedInC.add(item);
            }
            boolean penalised = i >= count || item < 0 || !seen.add(item) || history.contains(item);
            if (penalised) {
                itemRewards[i] = PENALTY;
                discounted += PENALTY;
                penalties++;
                continue;
            }
            double rankScore = item == parameters.target() ? 1 : 1 / log2(teacherRanks[i] + 3);
            boolean in = inCategory.test(item);
            if (in) {
                inC++;
            } else {
                outC++;
            }
            if (item == parameters.target() && targetPosition < 0) {
                targetPosition = i;
            }
            double controlScore = control && in == (task == TaskFamily.CONTROL_IN) ? 1 : 0;
            itemRewards[i] = control ? ALPHA * rankScore + (1 - ALPHA) * controlScore : rankScore;
            discountedControl += (1 - ALPHA) * controlScore / log2(i + 2);
            discounted += itemRewards[i] / log2(i + 2);
        }
        if (penaliseShortfall && items.length < count) {
            discounted += (count - items.length) * PENALTY;
            penalties += count - items.length;
        }
        double listScore = listScore(task, parameters, items.length, targetPosition, inC, outC, categorySize,
                namedInC.size(), nameless);
        double idcg = idcg(count, control);
        double itemTerm = discounted / idcg;
        double total = SCALE * (ALPHA * itemTerm + (1 - ALPHA) * listScore);
        return new Score(items.clone(), itemRewards, itemTerm, discountedControl / idcg, listScore, penalties, total);
    }

    private static double listScore(TaskFamily task, ExampleParameters parameters, int titles, int targetPosition,
                                    int inC, int outC, int categorySize, int namedInC, int nameless) {
        int count = parameters.count();
        return switch (task) {
            case SEQ_REC -> targetPosition >= 0 ? 1 / log2(targetPosition + 2) : 0;
            case CONTROL_IN -> 1.0 / (Math.max(0, Math.min(count, categorySize) - inC) + 1);
            case CONTROL_OUT -> 1.0 / (Math.max(0, count - outC) + 1);
            case RATE_AT_MOST, RATE_AT_LEAST, RATE_ABOUT -> {
                RateKind rule = task.rateKind();
                int judged = rule.judged(namedInC, nameless);
                int k = parameters.rateK();
                yield rule.accepts(judged, k) ? 1 : 1.0 / (Math.abs(judged - k) + 1);
            }
            case ITEM_COUNT -> 1.0 / (Math.abs(titles - count) + 1);
            default -> throw new IllegalArgumentException("task " + task.code() + " has no RL reward");
        };
    }

    /**
     * The discounted item scores of the best list of n items, whose i-th item has rank score
     * 1/log2(i + 2) and, for a ±C task ({@code control}), satisfies the control.
     */
    static double idcg(int n, boolean control) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double discount = 1 / log2(i + 2);
            sum += discount * (control ? ALPHA * discount + (1 - ALPHA) : discount);
        }
        return sum;
    }

    /**
     * The per-token reward of a generated answer: the answer reward on its final token and, when
     * {@code fineGrained}, each title's item reward on the last token of its line. Lines are cut at the
     * tokens whose text holds a line break; a line counts as a title's when {@link AnswerFormat#parse}
     * finds a title in it, so the i-th such line carries the i-th item reward. Item rewards that find no
     * line (a tokenizer that merges lines) go on the final token.
     *
     * @param tokens the generated tokens (an end-of-sequence token that ended the answer included)
     * @param decode the text of some tokens, special tokens left out
     */
    public static float[] tokenRewards(Score score, int[] tokens, Function<int[], String> decode,
                                       boolean fineGrained) {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("an answer without tokens earns no reward");
        }
        float[] rewards = new float[tokens.length];
        int last = tokens.length - 1;
        rewards[last] += (float) score.total();
        if (!fineGrained) {
            return rewards;
        }
        double[] itemRewards = score.itemRewards();
        int title = 0;
        int lineStart = 0;
        for (int t = 0; t < tokens.length && title < itemRewards.length; t++) {
            String text = decode.apply(new int[] {tokens[t]});
            boolean endsLine = text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0 || t == last;
            if (!endsLine) {
                continue;
            }
            String line = decode.apply(Arrays.copyOfRange(tokens, lineStart, t + 1));
            int found = AnswerFormat.parse(line).size();
            for (int i = 0; i < found && title < itemRewards.length; i++) {
                rewards[t] += (float) itemRewards[title++];
            }
            lineStart = t + 1;
        }
        for (; title < itemRewards.length; title++) {
            rewards[last] += (float) itemRewards[title];
        }
        return rewards;
    }

    private static int[] history(ExampleParameters parameters) {
        return parameters.history().stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean contains(int[] values, int value) {
        for (int own : values) {
            if (own == value) {
                return true;
            }
        }
        return false;
    }

    private static double log2(double value) {
        return Math.log(value) / Math.log(2);
    }
}
