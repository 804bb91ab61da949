package io.recalign.alignment;

import ai.djl.ndarray.NDManager;
import io.recalign.catalog.CatalogSnapshot;
import io.recalign.llm.AdamW;
import io.recalign.llm.LanguageModelTrainer;
import io.recalign.llm.LearningRateSchedule;
import io.recalign.llm.LlamaConfig;
import io.recalign.llm.LlamaModel;
import io.recalign.llm.TextTokenizer;
import io.recalign.llm.TokenizerBuilder;
import io.recalign.tasks.AnswerFormat;
import io.recalign.tasks.RlPrompt;
import io.recalign.tasks.RlPromptSampler;
import io.recalign.tasks.Split;
import io.recalign.tasks.TaskFamily;
import io.recalign.teacher.Teacher;
import io.recalign.teacher.TopKQuery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A small world for RL tests: 36 films in three genres, 60 users, a teacher that prefers low film
 * numbers, a word-level tokenizer (one token per title) and a tiny model fine-tuned briefly on +C prompts
 * answered with the teacher's unconstrained top-N. No history holds a top film, so that answer is the
 * same list for every user and quick to learn: the model writes well-formed lists but ignores the genre,
 * a third of its items are in C, and RL has a clean control signal to pick up.
 */
final class RlFixtures {

    static final List<String> GENRES = List.of("Drama", "Comedy", "Horror");
    /** Films 0..17 are never in a history. */
    static final int TOP_FILMS = 18;

    private RlFixtures() {
    }

    /**
     * 36 films, film i in genre i % 3; users watched only films 18..35, so the teacher's favourites, films
     * 0..17, are never in a history.
     */
    static CatalogSnapshot catalog() {
        List<CatalogSnapshot.Item> items = new ArrayList<>();
        for (int i = 0; i < 36; i++) {
            items.add(new CatalogSnapshot.Item("f" + i, GENRES.get(i % 3) + " film " + i, new int[] {i % 3}));
        }
        Random random = new Random(11);
        List<CatalogSnapshot.UserSequence> users = new ArrayList<>();
        for (int u = 0; u < 60; u++) {
            users.add(new CatalogSnapshot.UserSequence("u" + u, random.ints(TOP_FILMS, 36).distinct().limit(8).toArray()));
        }
        return new CatalogSnapshot("films", items, GENRES, users);
    }

    /** Prefers lower film numbers; history films rank after all others. */
    static Teacher indexTeacher(CatalogSnapshot snapshot) {
        int films = snapshot.items().size();
        return new Teacher() {
            @Override
            public String dataset() {
                return snapshot.dataset();
            }

            @Override
            public List<int[]> topK(List<TopKQuery> queries) {
                return queries.stream().map(query -> IntStream.range(0, films)
                        .filter(item -> !has(query.history(), item) && !has(query.exclude(), item))
                        .filter(item -> query.candidates() == null || has(query.candidates(), item))
                        .filter(item -> query.constraint().allows(snapshot.items().get(item).categories()))
                        .limit(query.k()).toArray()).toList();
            }

            @Override
            public List<int[]> rank(List<RankQuery> queries) {
                return queries.stream().map(query -> Arrays.stream(query.items()).map(item -> has(query.history(), item)
                        ? films + item + 1
                        : item + 1 - (int) Arrays.stream(query.history()).filter(seen -> seen < item).count())
                        .toArray()).toList();
            }
        };
    }

    static boolean has(int[] items, int item) {
        return Arrays.stream(items).anyMatch(own -> own == item);
    }

    /** Qwen2-style tiny config over the tokenizer's vocabulary, ids 0..2 as TokenizerBuilder lays them out. */
    static LlamaConfig tinyConfig(int vocabSize) {
        return new LlamaConfig("qwen2", vocabSize, 32, 64, 2, 4, 2, 8, 128, 1e-6, true, true, false, false,
                LlamaConfig.Rope.standard(10_000), 1, List.of(2), 0, LlamaConfig.FLOAT32);
    }

    /** The world's tokenizer and a model fine-tuned on +C prompts with random answers. */
    record World(CatalogSnapshot snapshot, Teacher teacher, TokenizerBuilder.BuiltTokenizer builtTokenizer,
                 TextTokenizer tokenizer, LlamaModel model) implements AutoCloseable {
        @Override
        public void close() {
            model.close();
            tokenizer.close();
        }
    }

    static World world(NDManager manager, int sftSteps) {
        CatalogSnapshot snapshot = catalog();
        Teacher teacher = indexTeacher(snapshot);
        List<RlPrompt> prompts = new RlPromptSampler(snapshot, teacher)
                .sample(400, 5, Split.TRAIN, List.of(TaskFamily.CONTROL_IN));
        Random random = new Random(9);
        List<String> answers = prompts.stream().map(prompt -> AnswerFormat.format(random.ints(0, TOP_FILMS).distinct()
                .limit(prompt.parameters().count()).sorted().mapToObj(i -> snapshot.items().get(i).title()).toList()))
                .toList();
        List<String> corpus = new ArrayList<>(prompts.stream().map(RlPrompt::prompt).toList());
        corpus.addAll(answers);
        TokenizerBuilder.BuiltTokenizer built = new TokenizerBuilder().corpus(corpus)
                .titles(snapshot.items().stream().map(CatalogSnapshot.Item::title).toList())
                .categories(snapshot.categories()).build();
        TextTokenizer tokenizer = TextTokenizer.fromJson(built.json());
        LlamaModel model = LlamaModel.create(tinyConfig(built.vocabSize()), manager, 3);
        InstructionCodec codec = new InstructionCodec(tokenizer, model.config());
        try (AdamW optimizer = new AdamW(model, new AdamW.Settings(0.9, 0.95, 1e-8, 0, 1), LearningRateSchedule.constant(1e-2))) {
            LanguageModelTrainer trainer = new LanguageModelTrainer(model, optimizer);
            int batch = 16;
            for (int step = 0; step < sftSteps; step++) {
                int[][] tokens = new int[batch][];
                boolean[][] masks = new boolean[batch][];
                for (int b = 0; b < batch; b++) {
                    int example = (step * batch + b) % prompts.size();
                    int[] prompt = codec.prompt(prompts.get(example).prompt());
                    int[] answer = codec.answer(answers.get(example));
                    tokens[b] = IntStream.concat(Arrays.stream(prompt), Arrays.stream(answer)).toArray();
                    masks[b] = new boolean[tokens[b].length];
                    Arrays.fill(masks[b], prompt.length, tokens[b].length, true);
                }
                trainer.step(tokens, masks);
            }
        }
        return new World(snapshot, teacher, built, tokenizer, model);
    }
}
