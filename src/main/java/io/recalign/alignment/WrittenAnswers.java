package io.recalign.alignment;

import io.recalign.llm.Generation;
import io.recalign.llm.Generator;
import io.recalign.llm.LlamaModel;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The model's own greedy answers to training prompts, with the titles it should not have written in
 * them: the negatives of sequence-level unlikelihood. Labelled answers never repeat, so the states a
 * greedy loop runs through (a title written twice, then again) are seen only here.
 */
final class WrittenAnswers {

    private final LlamaModel model;
    private final InstructionCodec codec;
    private final UnlikelyTitles titles;

    WrittenAnswers(LlamaModel model, InstructionCodec codec, UnlikelyTitles titles) {
        this.model = model;
        this.codec = codec;
        this.titles = titles;
    }

    /** Prompt plus greedy answer of each example whose answer writes a title; gradients off while generating. */
    List<EncodedExample> of(List<EncodedExample> batch) {
        int longestPrompt = batch.stream().mapToInt(EncodedExample::promptLength).max().orElseThrow();
        int longestAnswer = batch.stream().mapToInt(EncodedExample::answerLength).max().orElseThrow();
        int budget = SftValidation.answerBudget(model.config().maxPositionEmbeddings(), longestPrompt, longestAnswer);
        if (budget < 1) {
            return List.of();
        }
        List<Generation> answers = new Generator(model).generate(batch.stream().map(EncodedExample::prompt).toList(),
                codec.greedy(budget));
        return IntStream.range(0, batch.size()).mapToObj(i -> titles.written(batch.get(i), answers.get(i).tokens()))
                .filter(UnlikelyTitles::namesAny).toList();
    }
}
