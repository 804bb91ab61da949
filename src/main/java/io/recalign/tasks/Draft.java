package io.recalign.tasks;

/**
 * Every choice made for one task before labelling: the family, the moment, N, the category C and its
 * polarity, the share k and the in-category count k' that the label will hold (-1 where not used).
 */
record Draft(TaskFamily family, Moment moment, int count, int category, Polarity polarity, int rateK,
             int labelInCategory, TaskInput.SharePhrasing phrasing) {

    static Draft plain(TaskFamily family, Moment moment, int count) {
        return new Draft(family, moment, count, -1, null, -1, -1, null);
    }

    static Draft controlled(TaskFamily family, Moment moment, int count, int category, Polarity polarity) {
        return new Draft(family, moment, count, category, polarity, -1, -1, null);
    }
}
